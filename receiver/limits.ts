/**
 * A cap on requests in flight for one route. Past the cap a request is answered 503 with
 * `Retry-After` before a byte of its body is read, so a flood of requests cannot make the
 * receiver hold more than `max` bodies (each bounded by the route's body limit) at once.
 */
export class InFlightLimit {
  private active = 0;

  constructor(readonly max: number) {}

  /** Takes a slot, or returns undefined when all are taken. Call the returned function once done. */
  tryAcquire(): (() => void) | undefined {
    if (this.active >= this.max) return undefined;
    this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
    };
  }

  get inFlight(): number {
    return this.active;
  }
}
