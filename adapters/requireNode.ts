// Imported first by every entry point, so it runs before any native module (sqlite3, sharp) loads:
// a module built for Node 22 crashes an older Node with a segmentation fault instead of an error.
const MIN_MAJOR = 22;
const MIN_MINOR = 12;

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < MIN_MAJOR || (major === MIN_MAJOR && minor < MIN_MINOR)) {
  process.stderr.write(
    `iris: Node.js ${MIN_MAJOR}.${MIN_MINOR} or newer is required; this is ${process.version}. Install Node 22 LTS, then run npm ci again so native modules are rebuilt for it.\n`,
  );
  process.exit(1);
}
