// Preloaded into a benchmarked CLI (`node --require bench/rss.cjs ...`): reports its peak RSS on exit.
const fs = require('node:fs');
process.on('exit', () => {
  fs.writeSync(2, `\nBENCH_MAXRSS_KB ${process.resourceUsage().maxRSS}\n`);
});
