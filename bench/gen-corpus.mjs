// A deterministic generator of realistic Dockerfiles for benchmarks: the same seed gives the same
// files, byte for byte. Each file mixes what real repositories hold: multi-stage builds, apt/apk/dnf
// installs with and without cleanup, pip/npm steps, long continuation chains, heredocs, ONBUILD.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BASES = ['debian:12-slim', 'debian:bookworm', 'ubuntu:24.04', 'python:3.12-slim', 'node:20-bookworm-slim', 'alpine:3.20', 'golang:1.22', 'rockylinux:9-minimal', 'eclipse-temurin:21-jre'];
const APT = ['curl', 'ca-certificates', 'git', 'libpq5', 'gnupg', 'jq', 'tzdata', 'locales', 'openssh-client', 'build-essential', 'libssl-dev', 'unzip', 'xz-utils'];
const APK = ['curl', 'bash', 'tini', 'su-exec', 'ca-certificates', 'openssl'];
const PIP = ['requests==2.32.3', 'gunicorn==22.0.0', 'flask==3.0.3', 'psycopg2-binary==2.9.9', 'pyyaml==6.0.2'];

export function dockerfile(rand, index, scale = 1) {
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const some = (xs, n) => [...xs].sort(() => rand() - 0.5).slice(0, n);
  const lines = [`# syntax=docker/dockerfile:1`, `# Service ${index}: generated for benchmarks`];
  const base = pick(BASES);
  lines.push(`ARG VERSION=${1 + (index % 9)}.${index % 17}.0`);
  if (rand() < 0.4) lines.push(`FROM ${pick(['golang:1.22', 'node:20', 'python:3.12'])} AS build`, 'WORKDIR /src', 'COPY . .', `RUN make build VERSION=\${VERSION} && strip /src/out/app`);
  lines.push(`FROM ${base}`, `LABEL org.opencontainers.image.version="\${VERSION}" maintainer="team-${index % 23}@example.com"`);
  const blocks = Math.max(1, Math.round((3 + rand() * 5) * scale));
  for (let b = 0; b < blocks; b++) {
    const r = rand();
    if (base.startsWith('alpine')) {
      lines.push(`RUN ${rand() < 0.5 ? 'apk add --no-cache' : 'apk add'} ${some(APK, 3).join(' ')}`);
    } else if (r < 0.35) {
      const pkgs = some(APT, 2 + Math.floor(rand() * 6));
      lines.push('RUN set -eux; \\', '    apt-get update; \\', `    apt-get install -y ${rand() < 0.6 ? '--no-install-recommends ' : ''}\\`);
      for (const p of pkgs) lines.push(`        ${p} \\`);
      lines.push(rand() < 0.7 ? '    ; \\\n    rm -rf /var/lib/apt/lists/*' : '    ; \\\n    apt-get clean');
    } else if (r < 0.5) {
      lines.push(`RUN pip install ${rand() < 0.5 ? '--no-cache-dir ' : ''}${some(PIP, 3).join(' ')}`);
    } else if (r < 0.6) {
      lines.push('WORKDIR /app', 'COPY package.json package-lock.json ./', `RUN npm ci${rand() < 0.5 ? ' && npm cache clean --force' : ''}`, 'COPY . .');
    } else if (r < 0.7) {
      lines.push('RUN <<EOF', 'set -e', `useradd --system --uid ${1000 + (index % 50)} app`, 'mkdir -p /var/lib/app /var/log/app', 'chown -R app /var/lib/app', 'EOF');
    } else if (r < 0.8) {
      lines.push(`RUN curl -fsSLo /tmp/tool.tar.gz https://downloads.example.com/tool-${index}.tar.gz \\`, '    && tar -xzf /tmp/tool.tar.gz -C /usr/local/bin \\', `    ${rand() < 0.6 ? '&& rm /tmp/tool.tar.gz' : '&& echo installed'}`);
    } else if (r < 0.9) {
      lines.push(`COPY conf/ /etc/app/`, `RUN chmod 0644 /etc/app/*.conf`, `ENV APP_HOME=/srv/app PATH=/srv/app/bin:$PATH`);
    } else {
      lines.push(`ONBUILD COPY . /srv/app`, `ONBUILD RUN make -C /srv/app install`);
    }
  }
  if (lines.some((l) => l.endsWith('AS build'))) lines.push('COPY --from=build /src/out/app /usr/local/bin/app');
  lines.push('USER 1000', 'EXPOSE 8080', `HEALTHCHECK --interval=30s CMD ["curl", "-fsS", "http://localhost:8080/health"]`, 'CMD ["app", "--serve"]', '');
  return lines.join('\n');
}

/** Writes `count` files under `out/<nnnn>/Dockerfile`; returns their paths and total bytes. */
export function generate(out, count, seed = 1337, scale = 1) {
  const rand = rng(seed);
  const files = [];
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const dir = path.join(out, String(i).padStart(5, '0'));
    mkdirSync(dir, { recursive: true });
    const text = dockerfile(rand, i, scale);
    writeFileSync(path.join(dir, 'Dockerfile'), text);
    files.push(path.join(dir, 'Dockerfile'));
    bytes += Buffer.byteLength(text);
  }
  return { files, bytes };
}
