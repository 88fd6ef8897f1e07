// Builds the web UI into one directory the gateway serves: index.html, app.js, app.css and files.txt (the list the
// gateway reads at start, so it never scans its classpath). Usage: node build.mjs [out dir] [--watch]
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const watch = args.includes('--watch');
const out = args.find(a => !a.startsWith('--')) ?? 'target/classes/quarkflow-ui';

const options = {
  entryPoints: { app: 'src/main.tsx' },
  bundle: true,
  outdir: out,
  format: 'esm',
  target: ['chrome110', 'firefox110', 'safari16'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  minify: !watch,
  sourcemap: watch ? 'inline' : false,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [{
    name: 'finish',
    setup(build) {
      build.onEnd(result => {
        if (result.errors.length) return;
        mkdirSync(out, { recursive: true });
        copyFileSync('src/index.html', join(out, 'index.html'));
        const files = readdirSync(out).filter(f => f !== 'files.txt').sort();
        writeFileSync(join(out, 'files.txt'), files.join('\n') + '\n');
        if (watch) console.log(`built ${files.join(', ')}`);
      });
    },
  }],
};

if (watch) {
  await (await esbuild.context(options)).watch();
} else {
  await esbuild.build(options);
}
