import { Command, InvalidArgumentError } from 'commander';
import { ConfigError } from '../config/config.js';
import { loadConfig } from '../config/load-config.js';
import { DomainError } from '../domain/errors.js';
import { runChat } from './chat.js';
import { runImportCommand } from './import.js';
import { runImportFaq } from './import-faq.js';
import { runMigrate } from './migrate.js';
import { runServe } from './serve.js';
import { runWorkspaceCreate } from './workspace-create.js';

const program = new Command();
program.name('kefu').description('kefu — self-hosted AI customer service (智能客服平台)').showHelpAfterError();

program.command('serve').description('start the server (migrations run first)').action(runServe);
program.command('migrate').description('apply database migrations and exit').action(runMigrate);

const workspace = program.command('workspace').description('manage workspaces');
workspace
  .command('create <slug>')
  .description('create a workspace; prints its widget key')
  .option('--name <name>', 'display name')
  .option('--owner-email <email>', 'also create an owner with this e-mail (password is generated and printed)')
  .action(runWorkspaceCreate);

program
  .command('import-faq <file>')
  .description('import FAQ entries from CSV or JSONL (idempotent by id)')
  .requiredOption('--workspace <slug>', 'workspace slug')
  .option('--format <format>', 'csv or jsonl (default: from the file extension)', (v) => {
    if (v !== 'csv' && v !== 'jsonl') throw new InvalidArgumentError('must be csv or jsonl');
    return v;
  })
  .action(runImportFaq);

program
  .command('import <path-or-url>')
  .description('import documents and FAQ sheets from a file, a folder or a URL/sitemap, with progress')
  .requiredOption('--workspace <slug>', 'workspace slug')
  .option('--prune', 'remove documents imported earlier from this folder that are no longer in it')
  .option('--audience <audience>', 'public (default) or internal (agents only)', (v) => {
    if (v !== 'public' && v !== 'internal') throw new InvalidArgumentError('must be public or internal');
    return v;
  })
  .action(runImportCommand);

program
  .command('chat')
  .description('chat with the bot from the terminal; reads one message per line from stdin (an empty line starts a new conversation)')
  .requiredOption('--workspace <slug>', 'workspace slug')
  .option('--json', 'print one JSON line per bot reply')
  .action(runChat);

program.hook('preAction', () => {
  // Validate the environment before any command touches the database.
  loadConfig();
});

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof ConfigError || err instanceof DomainError) {
    process.stderr.write(`kefu: ${err.message}\n`);
    process.exit(2);
  }
  throw err;
}
