/**
 * Kept so `node dist/emulator/main.js` (tests, benchmarks) still starts the emulator: the command
 * itself is bin/polytomic-emulator.ts, the package's `polytomic-emulator`.
 */
import "../bin/polytomic-emulator";
