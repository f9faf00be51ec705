// Rules of thumb for what nothing better sizes: each a typical figure, compressed (gzip, as layers are
// pushed) and unpacked. They are reported as `heuristic`, low confidence; a package index, the build
// context or a measured image replaces them wherever one is available.
import { KB, MB } from './size.js';

export interface Figure {
  bytes: number;
  uncompressedBytes: number;
  /** What the figure stands for, for the report. */
  what: string;
}

const fig = (uncompressedMb: number, compressedMb: number, what: string): Figure => ({ bytes: compressedMb * MB, uncompressedBytes: uncompressedMb * MB, what });

/** One named package with the dependencies it typically brings, by package manager. */
export const PACKAGE: Record<string, Figure> = {
  deb: fig(3, 1.1, 'a Debian package with its usual dependencies'),
  rpm: fig(2.5, 0.9, 'an RPM package with its usual dependencies'),
  apk: fig(1.5, 0.6, 'an Alpine package with its usual dependencies'),
  pip: fig(4, 1.4, 'a Python distribution with its usual dependencies, bytecode included'),
  npm: fig(4, 1.2, 'a direct npm dependency with its usual transitive ones'),
  npmLocked: fig(0.3, 0.09, 'one package of a lockfile, as unpacked in node_modules'),
  gem: fig(2, 0.7, 'a Ruby gem with its usual dependencies'),
  composer: fig(2, 0.6, 'a Composer package'),
};

/** With recommended packages (apt's default), an install brings this much more. */
export const RECOMMENDS_FACTOR = 1.6;

/** What installing packages writes besides the packages: the package database and logs, copied up whole. */
export const INSTALL_OVERHEAD: Record<string, Figure> = {
  // Measured on Debian bookworm: debconf's templates.dat, dpkg's status and status-old, apt and dpkg logs.
  deb: { bytes: 190 * KB, uncompressedBytes: 950 * KB, what: "dpkg's status database, debconf's templates and the install logs, rewritten in the layer" },
  rpm: fig(6, 1.5, "the RPM database (rpmdb.sqlite) and dnf's history, rewritten in the layer"),
  apk: { bytes: 30 * KB, uncompressedBytes: 100 * KB, what: "apk's installed database, rewritten in the layer" },
};

/** How Installed-Size maps to a layer: docs, man pages and locales are left out by slim images' dpkg config. */
export const DEB_PAYLOAD_FACTOR = 0.92;
/**
 * A package's gzip size is taken as the mean of two estimates: its .deb (xz) size times the usual
 * gzip-to-xz ratio, and its installed size times the usual gzip ratio of binaries and libraries.
 * Either alone was off by up to a third on real Debian installs (python3-minimal, curl, jq layers
 * built and measured); their mean by about a tenth.
 */
export const DEB_GZIP_FACTOR = 1.3;
export const INSTALLED_GZIP_RATIO = 0.37;
/** Python modules are byte-compiled when installed; the .pyc files are not in Installed-Size. */
export const PYC_FACTOR = 0.9;
export const PYC_GZIP_RATIO = 0.45;

/** Caches that a missing cleanup leaves in a layer, by the rule that finds it. */
export const CACHE: Record<string, Figure> = {
  'clean-apt-cache': fig(45, 18, 'the apt package lists of one release with its update and security suites'),
  'apk-no-cache': fig(2.5, 2.4, "apk's downloaded APKINDEX files"),
  'clean-dnf-cache': fig(90, 30, "dnf's repository metadata for the base and application streams"),
  'clean-yum-cache': fig(90, 30, "yum's repository metadata and downloaded packages"),
  'clean-zypper-cache': fig(60, 20, "zypper's repository metadata"),
};

/** Caches sized as a share of the install that fills them. */
export const CACHE_SHARE: Record<string, { share: number; compressedShare: number; what: string }> = {
  // Wheels are zip files: about 40% of what they unpack to, and gzip cannot shrink them further.
  'pip-no-cache-dir': { share: 0.4, compressedShare: 0.4 / 0.35, what: "pip's cache of the downloaded wheels" },
  'clean-npm-cache': { share: 0.3, compressedShare: 0.3 / 0.3, what: "npm's cache of the downloaded tarballs" },
  // Yarn 1 keeps an unpacked copy of every package.
  'clean-yarn-cache': { share: 1, compressedShare: 1, what: "yarn's cache, an unpacked copy of every package" },
  'clean-gem-cache': { share: 0.5, compressedShare: 0.5, what: 'the ri/rdoc documentation and cached .gem files' },
};

export const DOWNLOAD: Figure = fig(15, 15, 'a downloaded release archive (already compressed)');
export const UNPACKED_DOWNLOAD: Figure = fig(40, 15, 'the unpacked contents of a downloaded archive');
export const STAGE_ARTIFACT: Figure = fig(10, 4, 'files copied from another stage or image');
export const MISSING_SOURCE: Figure = { bytes: 3 * KB, uncompressedBytes: 8 * KB, what: 'a source not in the build context here, sized as a typical config file or script' };
export const REMOTE_SOURCE: Figure = fig(10, 10, 'a file ADD downloads');
export const BUILD_OUTPUT: Figure = fig(8, 3, 'the output of a build command');
export const VENV: Figure = fig(15, 5, 'a Python virtual environment with pip');
export const ACCOUNT: Figure = { bytes: 4 * KB, uncompressedBytes: 16 * KB, what: 'account files (/etc/passwd, group, shadow) rewritten' };
export const SMALL_CHANGE: Figure = { bytes: 1 * KB, uncompressedBytes: 4 * KB, what: 'a few small files and directories' };
/** Per toolchain package named (compilers and headers bring large dependency sets). */
export const TOOLCHAIN_PACKAGE: Figure = fig(60, 20, 'a compiler or -dev package with its dependencies');
/** A path a later layer deletes or changes, when nothing says how much is under it. */
export const SHARE_OF_CREATOR = 0.5;
