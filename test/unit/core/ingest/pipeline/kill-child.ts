// Child process for the kill -9 test: imports one file into a vault, in-process, in small chunks, until killed.
import { importFile } from '../../../../../electron/core/ingest/import-file';
import { openEncryptedDatabase } from '../../../../../electron/core/vault/database';

async function main(): Promise<void> {
  const [file, vaultFile, cipher] = process.argv.slice(2);
  const key = Buffer.from(process.env.ATTEST_TEST_KEY ?? '', 'hex');
  const db = openEncryptedDatabase(vaultFile!, key, cipher === 'sqlcipher' ? 'sqlcipher' : 'aegis');
  const summary = await importFile(db, { path: file! }, { operator: 'child', vaultId: 'kill-test', chunkEvents: 1000 });
  process.stdout.write(JSON.stringify(summary) + '\n');
  db.close();
}

void main();
