#!/usr/bin/env node
/** `polytomic-sync`: runs a model sync once and follows it to its outcome (cli/sync/). */
import { main } from "../cli/sync/main";
import { runAsProcess } from "../cli/console";

runAsProcess("polytomic-sync", main);
