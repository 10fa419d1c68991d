// What our language host preloads (`node --require`) into every Pulumi program it runs; each
// module says why. scripts/pulumi-cli.sh links this file beside the language host binary.
// Plain JavaScript on purpose: it runs without a build.
"use strict";
require("./lazy-closure");
require("./stack-traces");
