#!/usr/bin/env node
/** `polytomic-receiver`: verifies and records Polytomic deliveries (cli/receiver.ts). */
import { main } from "../cli/receiver";
import { runAsProcess } from "../cli/console";

runAsProcess("polytomic-receiver", main);
