#!/usr/bin/env node
// Fails on a dead link in the documentation: a relative link to a file that does not exist, or to a
// heading anchor that its target does not have. External links are refused: the documentation
// speaks of this repository only.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const pages = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => join('docs', name)),
  'src/infrastructure/eventbus/README.md',
];

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes. */
function anchorOf(heading) {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

function anchorsIn(file) {
  const anchors = new Set();
  let fenced = false;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const heading = !fenced && /^#{1,6} (.*)$/.exec(line);
    if (heading) anchors.add(anchorOf(heading[1]));
  }
  return anchors;
}

const problems = [];
for (const page of pages) {
  const file = join(root, page);
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z]+:/i.test(target)) {
      problems.push(`${page}: links outside the repository: ${target}`);
      continue;
    }
    const [path, anchor] = target.split('#');
    const linked = path === '' ? file : resolve(dirname(file), path);
    if (!existsSync(linked)) {
      problems.push(`${page}: ${target}: ${relative(root, linked)} does not exist`);
    } else if (anchor !== undefined && linked.endsWith('.md') && !anchorsIn(linked).has(anchor)) {
      problems.push(`${page}: ${target}: no heading "#${anchor}" in ${relative(root, linked)}`);
    }
  }
}
if (problems.length > 0) {
  console.error(`check-doc-links: FAIL\n${problems.join('\n')}`);
  process.exit(1);
}
console.log(`check-doc-links: OK (${pages.length} pages)`);
