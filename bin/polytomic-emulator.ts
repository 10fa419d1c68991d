#!/usr/bin/env node
/** `polytomic-emulator`: the offline Polytomic API as a process (cli/emulator.ts). */
import { main } from "../cli/emulator";
import { runAsProcess } from "../cli/console";

runAsProcess("polytomic-emulator", main);
