/**
 * Writes the answer rules of contract/answers.ts into providers/README.md, between its
 * `answer-rules` markers (`npm run docs:answers`). test/emulator/echo.test.ts fails when the
 * README and the table differ.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { answers } from "../contract";

const readme = path.resolve(__dirname, "..", "..", "providers", "README.md");
const text = fs.readFileSync(readme, "utf8");
const marked = /(<!-- answer-rules:start -->\n)[\s\S]*?(<!-- answer-rules:end -->)/;
if (!marked.test(text)) {
  console.error(`${readme}: no <!-- answer-rules:start --> ... <!-- answer-rules:end --> markers`);
  process.exit(1);
}
fs.writeFileSync(readme, text.replace(marked, (_, start: string, end: string) => `${start}${answers.renderAnswerRules().trim()}\n${end}`));
console.log(`answer rules written to ${path.relative(process.cwd(), readme)}`);
