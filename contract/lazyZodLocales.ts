/**
 * Makes zod load its 64 locale modules only when something asks for one.
 *
 * Why: zod 4's CommonJS entry (`zod/v4/classic/external`) requires `zod/v4/locales/index` at once,
 * for `z.locales`: two thirds of zod's modules and about half its load time (~0.1-0.3 s on our
 * 2-core machines), paid by every program run and every dynamic-provider host. Its error messages
 * do not need them: the English locale zod configures itself with is a module of its own.
 *
 * How: before zod is first loaded, a stand-in for that one module is put in `require`'s cache; any
 * property read, key listing or descriptor lookup on it loads the real module and answers from it,
 * so `z.locales.de()` still works. Nothing is replaced when zod is already loaded (by the program,
 * say) or lays its files out otherwise. Imported first by every entry point of the package (lib.ts,
 * the provider runtime, the project's program).
 */
import Module = require("node:module");

function resolveLocales(): string | undefined {
  try {
    return require.resolve("zod/v4/locales");
  } catch {
    return undefined;
  }
}

function installStandIn(file: string): void {
  const zodEntry = (() => {
    try {
      return require.resolve("zod");
    } catch {
      return undefined;
    }
  })();
  if (require.cache[file] || (zodEntry && require.cache[zodEntry])) return;
  let real: Record<PropertyKey, unknown> | undefined;
  const load = (): Record<PropertyKey, unknown> => {
    if (!real) {
      delete require.cache[file];
      real = require(file) as Record<PropertyKey, unknown>;
    }
    return real;
  };
  const standIn = new Module(file, module);
  standIn.filename = file;
  standIn.loaded = true;
  standIn.exports = new Proxy(
    {},
    {
      get: (_, key) => (key === "__esModule" ? true : load()[key]),
      has: (_, key) => key in load(),
      ownKeys: () => Reflect.ownKeys(load()),
      getOwnPropertyDescriptor: (_, key) => {
        const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
        return descriptor && { ...descriptor, configurable: true };
      },
    },
  );
  require.cache[file] = standIn;
}

const locales = resolveLocales();
if (locales) installStandIn(locales);
