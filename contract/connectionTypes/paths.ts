/** Dotted paths inside a configuration (`basic.password`), as a tree to walk a value with. */

/** `true` where the value at the path is the one meant; a subtree where a path goes deeper. */
export type PathTree = { [key: string]: true | PathTree };

/** `["password", "basic.password"]` -> `{ password: true, basic: { password: true } }`. */
export function pathTree(paths: readonly string[]): PathTree {
  const tree: PathTree = {};
  for (const path of paths) {
    const parts = path.split(".");
    let node = tree;
    parts.forEach((part, i) => {
      if (i === parts.length - 1) node[part] = true;
      else node = (node[part] = typeof node[part] === "object" ? node[part] : {}) as PathTree;
    });
  }
  return tree;
}
