// Common official base images: which tags have a smaller variant of the same image and version, which
// are build toolchains, and how big each variant is. Sizes are compressed linux/amd64 sizes, what a node
// pulls and stores; each says where the figure comes from, and config can override any of them.
import type { ImageRef } from '../model/types.js';

export interface SizeFigure {
  /** Compressed size of the image for linux/amd64, in bytes. */
  bytes: number;
  /** When the figure was read (`YYYY` or `YYYY-MM`). */
  asOf: string;
  /** Where it was read. */
  source: string;
}

const HUB = 'Docker Hub tag page, linux/amd64 compressed size, rounded to 5 MB; recalled, not re-measured';
const RH = 'Red Hat Ecosystem Catalog / Quay tag page, linux/amd64 compressed size, rounded to 5 MB; recalled, not re-measured';
const MCR = 'Microsoft Artifact Registry tag page, linux/amd64 compressed size, rounded to 5 MB; recalled, not re-measured';
const AS_OF = '2025';
const MB = 1_000_000;
const hub = (mb: number): SizeFigure => ({ bytes: mb * MB, asOf: AS_OF, source: HUB });

/**
 * Sizes by `<image>:<variant>`, for the most recent major versions (sizes drift by a few MB between
 * versions). The `sizes` option of prefer-minimal-base overrides any entry with the same key.
 */
export const BASE_IMAGE_SIZES: Readonly<Record<string, SizeFigure>> = {
  'debian:full': hub(50),
  'debian:slim': hub(30),
  'python:full': hub(390),
  'python:slim': hub(45),
  'node:full': hub(390),
  'node:slim': hub(75),
  'ruby:full': hub(360),
  'ruby:slim': hub(65),
  'eclipse-temurin:jdk': hub(190),
  'eclipse-temurin:jre': hub(90),
  'openjdk:jdk': hub(320),
  'openjdk:jre': hub(130),
  'openjdk:jdk-slim': hub(220),
  'openjdk:jre-slim': hub(80),
  'ubi:full': { bytes: 80 * MB, asOf: AS_OF, source: RH },
  'ubi:minimal': { bytes: 40 * MB, asOf: AS_OF, source: RH },
  'rockylinux:full': hub(65),
  'rockylinux:minimal': hub(40),
  'almalinux:full': hub(65),
  'almalinux:minimal': hub(35),
  'oraclelinux:full': hub(90),
  'oraclelinux:slim': hub(45),
  'golang:full': hub(290),
  'golang:alpine': hub(75),
  'maven:full': hub(200),
  'gradle:full': hub(300),
  'gcc:full': hub(500),
  'rust:full': hub(550),
  'rust:slim': hub(260),
  'dotnet/sdk:full': { bytes: 270 * MB, asOf: AS_OF, source: MCR },
  'dotnet/aspnet:full': { bytes: 90 * MB, asOf: AS_OF, source: MCR },
  'distroless/static:full': { bytes: 2 * MB, asOf: AS_OF, source: 'gcr.io tag page, linux/amd64 compressed size; recalled, not re-measured' },
  'alpine:full': { bytes: 3.5 * MB, asOf: AS_OF, source: 'Docker Hub tag page, linux/amd64 compressed size, rounded to 0.5 MB; recalled, not re-measured' },
  'busybox:full': { bytes: 2 * MB, asOf: AS_OF, source: 'Docker Hub tag page, linux/amd64 compressed size, rounded to 1 MB; recalled, not re-measured' },
  'ubuntu:full': hub(30),
  'fedora:full': { bytes: 65 * MB, asOf: AS_OF, source: 'quay.io/fedora tag page, linux/amd64 compressed size, rounded to 5 MB; recalled, not re-measured' },
  'centos-stream:full': { bytes: 60 * MB, asOf: AS_OF, source: 'quay.io/centos tag page, linux/amd64 compressed size, rounded to 5 MB; recalled, not re-measured' },
  'opensuse-leap:full': hub(45),
  'amazonlinux:full': hub(55),
  'python:alpine': hub(20),
  'node:alpine': hub(45),
  'ruby:alpine': hub(35),
  'nginx:full': hub(70),
  'nginx:alpine': hub(20),
  'postgres:full': hub(150),
  'postgres:alpine': hub(95),
};

/** Unpacked size over compressed size of a distribution base (debian:bookworm-slim: 78 MB over 30 MB). */
export const BASE_UNPACK_FACTOR = 2.6;

/**
 * The table's key for an image reference, when the table knows the image: `debian:12-slim` ->
 * `debian:slim`, `python:3.12-bookworm` -> `python:full`. The variant is read from the tag.
 */
export function baseSizeKey(ref: ImageRef): string | null {
  if (ref.scratch || ref.unresolved) return null;
  const tool = toolchainImage(ref);
  if (tool) return `${tool.image}:${tool.variant}`;
  const bigger = smallerVariant(ref);
  if (bigger) return `${bigger.image}:${bigger.variant}`;
  const tag = (ref.tag ?? 'latest').toLowerCase();
  const image = tableImage(ref);
  if (image === null) return null;
  const variants = Object.keys(BASE_IMAGE_SIZES).filter((k) => k.startsWith(`${image}:`)).map((k) => k.slice(image.length + 1));
  // The most specific variant the tag (or, as `ubi9-minimal`, the name) spells: `jre-slim` before `slim`.
  const words = new Set([...tag.split(/[-_.]/), ...ref.name.toLowerCase().split(/[-_./]/)]);
  const named = variants.filter((v) => v !== 'full' && v.split('-').every((part) => words.has(part))).sort((a, b) => b.length - a.length)[0];
  return `${image}:${named ?? (variants.includes('full') ? 'full' : (variants[0] ?? 'full'))}`;
}

const REPOSITORIES: Record<string, string> = {
  'centos/centos': 'centos-stream',
  'opensuse/leap': 'opensuse-leap',
  'rockylinux/rockylinux': 'rockylinux',
  'fedora/fedora': 'fedora',
  'distroless/static': 'distroless/static',
  'distroless/static-debian12': 'distroless/static',
  'dotnet/sdk': 'dotnet/sdk',
  'dotnet/aspnet': 'dotnet/aspnet',
  'ubi8/ubi': 'ubi',
  'ubi9/ubi': 'ubi',
  'ubi8': 'ubi',
  'ubi9': 'ubi',
  'ubi8/ubi-minimal': 'ubi',
  'ubi9/ubi-minimal': 'ubi',
  'ubi8-minimal': 'ubi',
  'ubi9-minimal': 'ubi',
};

/** The table's name for the image a reference names, registry mirrors and `library/` aside. */
function tableImage(ref: ImageRef): string | null {
  const name = ref.name.replace(/^library\//, '');
  const mapped = REPOSITORIES[name];
  if (mapped) return mapped;
  const known = new Set(Object.keys(BASE_IMAGE_SIZES).map((k) => k.slice(0, k.lastIndexOf(':'))));
  return known.has(name) ? name : null;
}

export interface SmallerVariant {
  /** The table's name of the image (`python`, `ubi`), the first half of a size key. */
  image: string;
  variant: string;
  smallerVariant: string;
  /** The reference to use instead, e.g. `python:3.12-slim`. */
  suggestion: string;
  /** What else changes, for the message: ` (microdnf in place of dnf)`. */
  note: string;
  /** Tools the smaller variant lacks: a Dockerfile that runs them would have to install them back. */
  lacks: readonly string[];
}

export interface Toolchain {
  image: string;
  variant: string;
  /** The runtime base to suggest, and its size key. */
  runtime: string;
  runtimeKey: string;
}

const DISTROS = 'bookworm|bullseye|buster|stretch|trixie|forky|jammy|noble|focal';
const hubName = (ref: ImageRef, ...names: string[]): boolean => ref.registry === null && names.includes(ref.name);

/** The smaller variant of the same image and version, for the images the table knows. */
export function smallerVariant(ref: ImageRef): SmallerVariant | null {
  if (ref.scratch || ref.unresolved) return null;
  const tag = ref.tag ?? 'latest';
  const name = ref.registry ? `${ref.registry}/${ref.name}` : ref.name;
  const make = (image: string, variant: string, smaller: string, newTag: string | null, note = '', lacks: readonly string[] = [], newName = name): SmallerVariant | null =>
    newTag === null ? null : { image, variant, smallerVariant: smaller, suggestion: `${newName}:${newTag}`, note, lacks };
  if (/windows|nanoserver|servercore/.test(tag)) return null;
  if (hubName(ref, 'debian')) {
    if (/slim|backports|experimental|rc-buggy/.test(tag)) return null;
    return make('debian', 'full', 'slim', tag === 'latest' ? 'stable-slim' : `${tag}-slim`);
  }
  if (hubName(ref, 'python', 'ruby')) {
    if (/slim|alpine/.test(tag)) return null;
    const m = new RegExp(`^(?:(.*)-)?(${DISTROS})$`).exec(tag);
    const newTag = tag === 'latest' ? 'slim' : m ? `${m[1] ? `${m[1]}-` : ''}slim-${m[2]}` : `${tag}-slim`;
    return make(ref.name, 'full', 'slim', newTag);
  }
  if (hubName(ref, 'node')) {
    if (/slim|alpine/.test(tag)) return null;
    return make('node', 'full', 'slim', tag === 'latest' ? 'slim' : `${tag}-slim`);
  }
  if (hubName(ref, 'eclipse-temurin')) {
    if (/jre/.test(tag) || tag === 'latest') return null;
    const newTag = /-jdk/.test(tag) ? tag.replace('-jdk', '-jre') : /^[\d._+u-]+(-b\d+)?$/.test(tag) ? `${tag}-jre` : null;
    return make('eclipse-temurin', 'jdk', 'jre', newTag, ' (a JRE: no javac)');
  }
  if (hubName(ref, 'openjdk')) {
    // Only 8 and 11 were published with JRE tags.
    if (!/^(8|11)([.u-]|$)/.test(tag) || /jre/.test(tag)) return null;
    const slim = /slim/.test(tag);
    const newTag = /-jdk/.test(tag) ? tag.replace('-jdk', '-jre') : /^[\d._u-]+(-b\d+)?$/.test(tag) ? `${tag}-jre` : null;
    return make('openjdk', slim ? 'jdk-slim' : 'jdk', slim ? 'jre-slim' : 'jre', newTag, ' (a JRE: no javac)');
  }
  const rhel = /^(ubi\d+)(\/ubi)?$/.exec(ref.name);
  if (rhel && (ref.registry === 'registry.access.redhat.com' || ref.registry === 'registry.redhat.io')) {
    const newName = `${ref.registry}/${rhel[2] ? `${rhel[1]}/ubi-minimal` : `${rhel[1]}-minimal`}`;
    return make('ubi', 'full', 'minimal', tag, ' (microdnf in place of dnf)', ['dnf', 'yum'], newName);
  }
  const minimalRepos: Record<string, string> = { rockylinux: 'rockylinux', 'rockylinux/rockylinux': 'rockylinux', almalinux: 'almalinux' };
  const family = minimalRepos[ref.name];
  if (family && (ref.registry === null || ref.registry === 'quay.io')) {
    if (/minimal|ubi|init|micro/.test(tag) || tag === 'latest') return null;
    return make(family, 'full', 'minimal', `${tag}-minimal`, ' (microdnf in place of dnf)', ['dnf', 'yum']);
  }
  if (hubName(ref, 'oraclelinux')) {
    if (/slim/.test(tag) || tag === 'latest') return null;
    return make('oraclelinux', 'full', 'slim', `${tag}-slim`, ' (microdnf in place of dnf)', ['dnf', 'yum']);
  }
  return null;
}

/** Images that are build toolchains: fine to build in, heavy to ship. */
export function toolchainImage(ref: ImageRef): Toolchain | null {
  if (ref.scratch || ref.unresolved) return null;
  const tag = ref.tag ?? 'latest';
  if (/windows|nanoserver|servercore/.test(tag)) return null;
  const slimDebian = { runtime: '`debian:12-slim`', runtimeKey: 'debian:slim' };
  const jre = { runtime: '`eclipse-temurin:<version>-jre`', runtimeKey: 'eclipse-temurin:jre' };
  if (hubName(ref, 'golang')) return { image: 'golang', variant: /alpine/.test(tag) ? 'alpine' : 'full', runtime: '`gcr.io/distroless/static-debian12` or `scratch`', runtimeKey: 'distroless/static:full' };
  if (hubName(ref, 'rust')) return { image: 'rust', variant: /slim|alpine/.test(tag) ? 'slim' : 'full', ...slimDebian };
  if (hubName(ref, 'gcc')) return { image: 'gcc', variant: 'full', ...slimDebian };
  if (hubName(ref, 'maven')) return { image: 'maven', variant: 'full', ...jre };
  if (hubName(ref, 'gradle')) return { image: 'gradle', variant: 'full', ...jre };
  if (ref.registry === 'mcr.microsoft.com' && ref.name === 'dotnet/sdk') return { image: 'dotnet/sdk', variant: 'full', runtime: '`mcr.microsoft.com/dotnet/aspnet` or `dotnet/runtime`', runtimeKey: 'dotnet/aspnet:full' };
  return null;
}

/** `~390 MB`, `~1.2 GB`. */
export function formatSize(bytes: number): string {
  if (bytes >= 1_000 * MB) return `${(bytes / (1_000 * MB)).toFixed(1)} GB`;
  if (bytes >= 10 * MB) return `${Math.round(bytes / (5 * MB)) * 5} MB`;
  return `${Math.max(1, Math.round(bytes / MB))} MB`;
}
