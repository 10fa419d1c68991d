/**
 * Kept so `node dist/receiver/main.js` (benchmarks) still starts the receiver: the command itself
 * is bin/polytomic-receiver.ts, the package's `polytomic-receiver`.
 */
import "../bin/polytomic-receiver";
