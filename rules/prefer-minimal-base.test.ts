import { runRuleTests } from '../src/testing/rule-tester.js';
import rule from './prefer-minimal-base.js';

const python = { image: 'python:3.12', size: '390 MB', suggestion: 'python:3.12-slim', smallerSize: '45 MB', note: '', saving: '345 MB' };
const golang = { image: 'golang:1.22', size: '290 MB', runtime: '`gcr.io/distroless/static-debian12` or `scratch`', runtimeSize: '2 MB', saving: '290 MB' };

runRuleTests(rule, {
  valid: [
    'FROM python:3.12-slim\nCMD ["python3"]\n',
    { name: 'alpine is already small', code: 'FROM node:20-alpine\n' },
    { name: 'ubuntu has no slim variant', code: 'FROM ubuntu:24.04\n' },
    { name: 'an unresolved ARG', code: 'ARG TAG\nFROM python:${TAG}\n' },
    { name: 'multi-stage: a full builder copied from selectively', code: 'FROM python:3.12 AS build\nRUN pip wheel -w /wheels flask\nFROM python:3.12-slim\nCOPY --from=build /wheels /wheels\n' },
    { name: 'multi-stage: a toolchain only in the builder', code: 'FROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM gcr.io/distroless/static-debian12\nCOPY --from=build /out/app /app\n' },
    { name: 'the minimal RHEL image has no dnf, and this Dockerfile uses it', code: 'FROM registry.access.redhat.com/ubi9/ubi:9.4\nRUN dnf install -y httpd && dnf clean all\n' },
    { name: 'ONBUILD trigger that uses dnf', code: 'FROM rockylinux:9\nONBUILD RUN dnf install -y nginx\n' },
    { name: 'exec form RUN that uses yum', code: 'FROM almalinux:9\nRUN ["yum", "install", "-y", "httpd"]\n' },
    { name: 'heredoc RUN that uses dnf', code: 'FROM quay.io/rockylinux/rockylinux:9\nRUN <<EOF\ndnf install -y nginx\nEOF\n' },
    { name: 'openjdk 17 has no JRE tag', code: 'FROM openjdk:17-jdk-slim\n' },
  ],
  invalid: [
    {
      name: 'python full',
      code: 'FROM python:3.12\nCMD ["python3"]\n',
      errors: [{ messageId: 'smallerVariant', line: 1, column: 6, endLine: 1, endColumn: 17, data: python }],
      output: null,
    },
    {
      name: 'python with a distribution suffix',
      code: 'FROM python:3.12-bookworm\n',
      errors: [{ messageId: 'smallerVariant', line: 1, column: 6, endLine: 1, endColumn: 26, data: { ...python, image: 'python:3.12-bookworm', suggestion: 'python:3.12-slim-bookworm' } }],
      output: null,
    },
    {
      name: 'node puts -slim after the distribution',
      code: 'FROM node:20-bookworm\n',
      errors: [{ messageId: 'smallerVariant', line: 1, column: 6, endLine: 1, endColumn: 22, data: { image: 'node:20-bookworm', size: '390 MB', suggestion: 'node:20-bookworm-slim', smallerSize: '75 MB', note: '', saving: '315 MB' } }],
      output: null,
    },
    {
      name: 'debian by code name',
      code: 'FROM debian:bookworm\n',
      errors: [{ messageId: 'smallerVariant', line: 1, column: 6, endLine: 1, endColumn: 21, data: { image: 'debian:bookworm', size: '50 MB', suggestion: 'debian:bookworm-slim', smallerSize: '30 MB', note: '', saving: '20 MB' } }],
      output: null,
    },
    {
      name: 'a JDK where a JRE runs the program',
      code: 'FROM eclipse-temurin:21-jdk-jammy\nCOPY app.jar /app.jar\n',
      errors: [{ messageId: 'smallerVariant', line: 1, column: 6, endLine: 1, endColumn: 34, data: { image: 'eclipse-temurin:21-jdk-jammy', size: '190 MB', suggestion: 'eclipse-temurin:21-jre-jammy', smallerSize: '90 MB', note: ' (a JRE: no javac)', saving: '100 MB' } }],
      output: null,
    },
    {
      name: 'RHEL family: rockylinux with microdnf only',
      code: 'FROM rockylinux:9\nRUN microdnf install -y nginx && microdnf clean all\n',
      errors: [{ messageId: 'smallerVariant', line: 1, column: 6, endLine: 1, endColumn: 18, data: { image: 'rockylinux:9', size: '65 MB', suggestion: 'rockylinux:9-minimal', smallerSize: '40 MB', note: ' (microdnf in place of dnf)', saving: '25 MB' } }],
      output: null,
    },
    {
      name: 'RHEL family: ubi',
      code: 'FROM registry.access.redhat.com/ubi9/ubi:9.4\n',
      errors: [{ messageId: 'smallerVariant', line: 1, column: 6, endLine: 1, endColumn: 45, data: { image: 'registry.access.redhat.com/ubi9/ubi:9.4', size: '80 MB', suggestion: 'registry.access.redhat.com/ubi9/ubi-minimal:9.4', smallerSize: '40 MB', note: ' (microdnf in place of dnf)', saving: '40 MB' } }],
      output: null,
    },
    {
      name: 'multi-stage: the final stage is built on the full image',
      code: 'FROM node:20 AS base\nWORKDIR /app\nFROM base\nCOPY . .\n',
      errors: [{ messageId: 'smallerVariant', line: 1, column: 6, endLine: 1, endColumn: 13, data: { image: 'node:20', size: '390 MB', suggestion: 'node:20-slim', smallerSize: '75 MB', note: '', saving: '315 MB' } }],
      output: null,
    },
    {
      name: 'multi-stage: a stage copied whole into the final one',
      code: 'FROM ruby:3.3 AS app\nFROM scratch\nCOPY --from=app / /\n',
      errors: [{ messageId: 'smallerVariant', line: 1, column: 6, endLine: 1, endColumn: 14, data: { image: 'ruby:3.3', size: '360 MB', suggestion: 'ruby:3.3-slim', smallerSize: '65 MB', note: '', saving: '295 MB' } }],
      output: null,
    },
    {
      name: 'a toolchain as the final image',
      code: 'FROM golang:1.22\nCOPY . .\nRUN go build -o /app .\nCMD ["/app"]\n',
      errors: [{ messageId: 'toolchainFinal', line: 1, column: 6, endLine: 1, endColumn: 17, data: golang }],
      output: null,
    },
    {
      name: 'maven as the final image',
      code: 'FROM maven:3.9-eclipse-temurin-21\nCOPY . .\nRUN mvn -B package\n',
      errors: [{ messageId: 'toolchainFinal', line: 1, column: 6, endLine: 1, endColumn: 34, data: { image: 'maven:3.9-eclipse-temurin-21', size: '200 MB', runtime: '`eclipse-temurin:<version>-jre`', runtimeSize: '90 MB', saving: '110 MB' } }],
      output: null,
    },
    {
      name: 'sizes option overrides the table',
      code: 'FROM python:3.12\n',
      options: { sizes: { 'python:full': 1_000_000_000 } },
      errors: [{ messageId: 'smallerVariant', line: 1, column: 6, endLine: 1, endColumn: 17, data: { ...python, size: '1.0 GB', saving: '955 MB' } }],
      output: null,
    },
    {
      name: 'variants option adds an image; without sizes the message has none',
      code: 'FROM registry.example.com/base:12\n',
      options: { variants: [{ image: 'registry.example.com/base', tag: '^\\d+$', to: 'registry.example.com/base:{tag}-slim' }] },
      errors: [{ messageId: 'smallerVariantUnsized', line: 1, column: 6, endLine: 1, endColumn: 34, data: { image: 'registry.example.com/base:12', suggestion: 'registry.example.com/base:12-slim', note: '' } }],
      output: null,
    },
    {
      name: 'variants option with sizes',
      code: 'FROM registry.example.com/base:12\n',
      options: {
        variants: [{ image: 'registry.example.com/base', to: 'registry.example.com/base-slim:{tag}', variant: 'slim' }],
        sizes: { 'registry.example.com/base:full': 200_000_000, 'registry.example.com/base:slim': 60_000_000 },
      },
      errors: [{ messageId: 'smallerVariant', line: 1, column: 6, endLine: 1, endColumn: 34, data: { image: 'registry.example.com/base:12', size: '200 MB', suggestion: 'registry.example.com/base-slim:12', smallerSize: '60 MB', note: '', saving: '140 MB' } }],
      output: null,
    },
    {
      name: 'lower-case keywords and a digest',
      code: 'from python:3.12@sha256:0000000000000000000000000000000000000000000000000000000000000000 as app\nrun pip install flask\n',
      errors: [{ messageId: 'smallerVariant', line: 1, column: 6, endLine: 1, endColumn: 89, data: { ...python, image: `python:3.12@sha256:${'0'.repeat(64)}` } }],
      output: null,
    },
    {
      name: 'escape directive and CRLF',
      code: '# escape=`\r\nFROM debian:12\r\nRUN apt-get update `\r\n && apt-get install -y curl\r\n',
      errors: [{ messageId: 'smallerVariant', line: 2, column: 6, endLine: 2, endColumn: 15, data: { image: 'debian:12', size: '50 MB', suggestion: 'debian:12-slim', smallerSize: '30 MB', note: '', saving: '20 MB' } }],
      output: null,
    },
  ],
});
