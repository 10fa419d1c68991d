#!/usr/bin/env node
/** `polytomic-export`: writes a Pulumi program that adopts a live Polytomic organization (cli/export/). */
import { main } from "../cli/export/main";
import { runAsProcess } from "../cli/console";

runAsProcess("polytomic-export", main);
