import { runRuleTests } from '../src/testing/rule-tester.js';
import rule from './clean-gem-cache.js';

runRuleTests(rule, {
  valid: [
    'FROM debian:12\nRUN gem install --no-document rake && rm -rf /var/lib/gems/*/cache\n',
    { name: 'the ruby image turns documentation off', code: 'FROM ruby:3.3\nRUN gem install rails && rm -rf /usr/local/bundle/cache\n' },
    { name: '-N and a glob of the .gem files', code: 'FROM debian:12\nRUN gem install -N rake && rm -f "$GEM_HOME"/cache/*.gem\n' },
    { name: '--no-rdoc and --no-ri', code: 'FROM debian:12\nRUN gem install --no-rdoc --no-ri rake && rm -rf "$(gem env gemdir)/cache"\n' },
    { name: 'gemrc written in an earlier RUN', code: "FROM debian:12\nRUN echo 'gem: --no-document' > /etc/gemrc\nRUN gem install rake && rm -rf /var/lib/gems/*/cache\n" },
    { name: 'gemrc written in the parent stage', code: "FROM debian:12 AS base\nRUN echo 'install: --no-document' >> /etc/gemrc\nFROM base\nRUN gem install rake && rm -rf /var/lib/gems/*/cache\n" },
    { name: '--install-dir and its cache', code: 'FROM debian:12\nRUN gem install -N --install-dir /opt/gems rake && rm -rf /opt/gems/cache\n' },
    { name: '--user-install and ~/.gem', code: 'FROM debian:12\nRUN gem install -N --user-install rake && rm -rf ~/.gem/ruby/*/cache\n' },
    // bundle install
    { name: 'bundle install and the cache of GEM_HOME', code: 'FROM ruby:3.3\nRUN bundle install --jobs 4 && rm -rf /usr/local/bundle/cache\n' },
    { name: 'bundle install into BUNDLE_PATH', code: 'FROM ruby:3.3\nENV BUNDLE_PATH=/usr/local/bundle\nRUN bundle install && rm -rf ~/.bundle/ "${BUNDLE_PATH}"/ruby/*/cache\n' },
    { name: 'bundle install into vendor/bundle', code: 'FROM ruby:3.3\nRUN bundle config set --local path vendor/bundle && bundle install && rm -rf vendor/bundle/ruby/*/cache\n' },
    { name: 'gem install and bundle install, one removal', code: 'FROM ruby:3.3\nRUN gem install bundler:2.5.22 && bundle install && rm -rf /usr/local/bundle/cache\n' },
    // BuildKit mounts
    { name: 'cache mount on the gem cache', code: 'FROM ruby:3.3\nRUN --mount=type=cache,target=/usr/local/bundle/cache bundle install\n' },
    { name: 'tmpfs mount on the gem cache', code: 'FROM ruby:3.3\nRUN --mount=type=tmpfs,target=/usr/local/bundle/cache gem install rake\n' },
    // not installs
    { name: 'other subcommands', code: 'FROM ruby:3.3\nRUN gem list && bundle exec rake && bundle config set without test && bundle --version && gem\n' },
    { name: 'PowerShell is not read', code: 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\nRUN gem install rake\n' },
    // multi-stage
    { name: 'builder copied from selectively', code: 'FROM ruby:3.3 AS build\nRUN bundle install\nFROM ruby:3.3-slim\nCOPY --from=build /usr/local/bundle/gems /usr/local/bundle/gems\n' },
    // syntax
    { name: 'heredoc', code: 'FROM ruby:3.3\nRUN <<EOF\nbundle install\nrm -rf /usr/local/bundle/cache\nEOF\n' },
    { name: 'escape backtick', code: '# escape=`\nFROM ruby:3.3\nRUN bundle install && `\n    rm -rf /usr/local/bundle/cache\n' },
    { name: 'CRLF', code: 'FROM ruby:3.3\r\nRUN bundle install \\\r\n && rm -rf /usr/local/bundle/cache\r\n' },
    { name: 'comment inside a continuation', code: 'FROM ruby:3.3\nRUN bundle install \\\n# same layer\n && rm -rf /usr/local/bundle/cache\n' },
    { name: 'ONBUILD', code: 'FROM ruby:3.3\nONBUILD RUN bundle install && rm -rf /usr/local/bundle/cache\n' },
    { name: 'exec form through sh -c', code: 'FROM ruby:3.3\nRUN ["sh", "-c", "bundle install && rm -rf /usr/local/bundle/cache"]\n' },
  ],
  invalid: [
    {
      name: 'gem install: documentation and cache',
      code: 'FROM debian:12\nRUN gem install rake\n',
      errors: [
        { messageId: 'gemDocs', line: 2, column: 5, endLine: 2, endColumn: 16, data: { command: 'gem install' } },
        { messageId: 'gemCache', line: 2, column: 5, endLine: 2, endColumn: 16, data: { command: 'gem install', dir: '$GEM_HOME/cache' } },
      ],
      output: 'FROM debian:12\nRUN gem install --no-document rake\n',
    },
    {
      name: 'removing the cache leaves the documentation',
      code: 'FROM debian:12\nRUN gem install rake && rm -rf /var/lib/gems/*/cache\n',
      errors: [{ messageId: 'gemDocs', line: 2, column: 5, endLine: 2, endColumn: 16 }],
      output: 'FROM debian:12\nRUN gem install --no-document rake && rm -rf /var/lib/gems/*/cache\n',
    },
    {
      name: '--no-rdoc alone still writes ri documentation',
      code: 'FROM debian:12\nRUN gem install --no-rdoc rake && rm -rf /var/lib/gems/*/cache\n',
      errors: [{ messageId: 'gemDocs', line: 2, column: 5, endLine: 2, endColumn: 16 }],
      output: 'FROM debian:12\nRUN gem install --no-document --no-rdoc rake && rm -rf /var/lib/gems/*/cache\n',
    },
    {
      name: 'the ruby image turns documentation off, the cache stays',
      code: 'FROM ruby:3.3\nRUN gem install bundler:2.5.22\n',
      errors: [{ messageId: 'gemCache', line: 2, column: 5, endLine: 2, endColumn: 16, data: { command: 'gem install', dir: '$GEM_HOME/cache' } }],
      output: null,
    },
    {
      name: 'bundle install',
      code: 'FROM ruby:3.3\nRUN bundle install --jobs 4\n',
      errors: [{ messageId: 'bundleCache', line: 2, column: 5, endLine: 2, endColumn: 19, data: { command: 'bundle install', dir: '$GEM_HOME/cache' } }],
      output: null,
    },
    {
      name: 'bare bundle, --no-cache only concerns vendor/cache',
      code: 'FROM ruby:3.3\nRUN bundle --no-cache\n',
      errors: [{ messageId: 'bundleCache', line: 2, column: 5, endLine: 2, endColumn: 11, data: { command: 'bundle', dir: '$GEM_HOME/cache' } }],
      output: null,
    },
    {
      name: 'BUNDLE_PATH names the cache',
      code: 'FROM ruby:3.3\nENV BUNDLE_PATH=/usr/local/bundle\nRUN bundle install\n',
      errors: [{ messageId: 'bundleCache', line: 3, column: 5, endLine: 3, endColumn: 19, data: { command: 'bundle install', dir: '/usr/local/bundle/ruby/*/cache' } }],
      output: null,
    },
    {
      name: 'gem install and bundle install, reported once on the last',
      code: 'FROM ruby:3.3\nRUN gem install bundler && bundle install\n',
      errors: [{ messageId: 'bundleCache', line: 2, column: 28, endLine: 2, endColumn: 42 }],
      output: null,
    },
    {
      name: 'cleanup before the install does not count',
      code: 'FROM ruby:3.3\nRUN rm -rf /usr/local/bundle/cache && bundle install\n',
      errors: [{ messageId: 'bundleCache', line: 2, column: 39, endLine: 2, endColumn: 53 }],
      output: null,
    },
    {
      name: 'a gemrc written after the install does not count',
      code: "FROM debian:12\nRUN gem install rake && rm -rf /var/lib/gems/*/cache && echo 'gem: --no-document' > /etc/gemrc\n",
      errors: [{ messageId: 'gemDocs', line: 2, column: 5, endLine: 2, endColumn: 16 }],
      output: 'FROM debian:12\nRUN gem install --no-document rake && rm -rf /var/lib/gems/*/cache && echo \'gem: --no-document\' > /etc/gemrc\n',
    },
    {
      name: 'a cache mount elsewhere does not waive',
      code: 'FROM ruby:3.3\nRUN --mount=type=cache,target=/usr/local/bundle/gems bundle install\n',
      errors: [{ messageId: 'bundleCache', line: 2, column: 54, endLine: 2, endColumn: 68 }],
      output: null,
    },
    {
      name: 'sudo',
      code: 'FROM ruby:3.3\nRUN sudo gem install rake\n',
      errors: [{ messageId: 'gemCache', line: 2, column: 10, endLine: 2, endColumn: 21 }],
      output: null,
    },
    // multi-stage and stage reuse
    {
      name: 'builder whose gem home is copied whole',
      code: 'FROM ruby:3.3 AS build\nRUN bundle install\nFROM ruby:3.3-slim\nCOPY --from=build /usr/local/bundle /usr/local/bundle\n',
      errors: [{ messageId: 'bundleCache', line: 2, column: 5, endLine: 2, endColumn: 19 }],
      output: null,
    },
    {
      name: 'base stage built on by the final one',
      code: 'FROM ruby:3.3 AS base\nRUN bundle install\nFROM base\nRUN bundle install && rm -rf /usr/local/bundle/cache\n',
      errors: [{ messageId: 'bundleCache', line: 2, column: 5, endLine: 2, endColumn: 19 }],
      output: null,
    },
    // syntax
    {
      name: 'heredoc',
      code: 'FROM ruby:3.3\nRUN <<EOF\nset -e\nbundle install\nEOF\n',
      errors: [{ messageId: 'bundleCache', line: 4, column: 1, endLine: 4, endColumn: 15 }],
      output: null,
    },
    {
      name: 'escape backtick, lower-case keywords',
      code: '# escape=`\nfrom ruby:3.3\nrun bundle `\n    install\n',
      errors: [{ messageId: 'bundleCache', line: 3, column: 5, endLine: 4, endColumn: 12 }],
      output: null,
    },
    {
      name: 'CRLF',
      code: 'FROM ruby:3.3\r\nRUN bundle install \\\r\n    --jobs 4\r\n',
      errors: [{ messageId: 'bundleCache', line: 2, column: 5, endLine: 2, endColumn: 19 }],
      output: null,
    },
    {
      name: 'comment inside a continuation',
      code: 'FROM ruby:3.3\nRUN bundle install \\\n# cleaned elsewhere\n && bundle exec bootsnap precompile --gemfile\n',
      errors: [{ messageId: 'bundleCache', line: 2, column: 5, endLine: 2, endColumn: 19 }],
      output: null,
    },
    {
      name: 'ONBUILD',
      code: 'FROM ruby:3.3\nONBUILD RUN bundle install\n',
      errors: [{ messageId: 'bundleCache', line: 2, column: 13, endLine: 2, endColumn: 27 }],
      output: null,
    },
    {
      name: 'exec form',
      code: 'FROM ruby:3.3\nRUN ["bundle", "install"]\n',
      errors: [{ messageId: 'bundleCache', line: 2, column: 6, endLine: 2, endColumn: 25 }],
      output: null,
    },
    // fixes
    {
      name: '--install-dir written literally: its cache is removed',
      code: 'FROM debian:12\nRUN gem install -i /opt/gems rake\n',
      errors: [
        { messageId: 'gemDocs', line: 2, column: 5, endLine: 2, endColumn: 16 },
        { messageId: 'gemCache', line: 2, column: 5, endLine: 2, endColumn: 16 },
      ],
      output: 'FROM debian:12\nRUN gem install --no-document -i /opt/gems rake && rm -rf /opt/gems/cache\n',
    },
    {
      name: 'bundle --path written literally: its cache is removed',
      code: 'FROM ruby:3.3\nRUN bundle install --path /srv/bundle\n',
      errors: [{ messageId: 'bundleCache', line: 2, column: 5, endLine: 2, endColumn: 19 }],
      output: 'FROM ruby:3.3\nRUN bundle install --path /srv/bundle && rm -rf /srv/bundle/ruby/*/cache\n',
    },
    {
      name: 'a relative --path depends on the directory: not fixed',
      code: 'FROM ruby:3.3\nRUN bundle install --path vendor/bundle\n',
      errors: [{ messageId: 'bundleCache', line: 2, column: 5, endLine: 2, endColumn: 19 }],
      output: null,
    },
    {
      name: 'an --install-dir from a variable: not fixed',
      code: 'FROM debian:12\nARG GEMS=/opt/gems\nRUN gem install -N --install-dir=$GEMS rake\n',
      errors: [{ messageId: 'gemCache', line: 3, column: 5, endLine: 3, endColumn: 16 }],
      output: null,
    },
    {
      name: 'exec form: --no-document as a new element, no cache removal',
      code: 'FROM debian:12\nRUN ["gem", "install", "rake"]\n',
      errors: [
        { messageId: 'gemDocs', line: 2, column: 6, endLine: 2, endColumn: 22 },
        { messageId: 'gemCache', line: 2, column: 6, endLine: 2, endColumn: 22 },
      ],
      output: 'FROM debian:12\nRUN ["gem", "install", "--no-document", "rake"]\n',
    },
  ],
});
