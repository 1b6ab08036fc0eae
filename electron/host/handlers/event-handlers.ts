import fs from 'node:fs';
import path from 'node:path';
import type { VaultService } from '../../core/vault/vault-service';
import type { IngestJobs } from '../../core/ingest/ingest-jobs';
import { queryEvents, countEvents, getEvent, overview } from '../../core/events/event-query';
import { nearMatches } from '../../core/events/near-matches';
import { listBatches } from '../../core/ingest/batches';
import { listQuarantine, retryQuarantine } from '../../core/ingest/quarantine';
import { isValidZone } from '../../core/ingest/parse-record';
import { listSources, saveSource } from '../../core/sources/source-store';
import { checkSourceName } from '../../core/sources/source-name';
import { verifyChain } from '../../core/chain/verify';
import type { Handler } from '../registry';
import { AttestError } from '../../../shared/result';

type EventChannel =
  | 'events:query'
  | 'events:count'
  | 'events:get'
  | 'events:overview'
  | 'ingest:start'
  | 'ingest:cancel'
  | 'ingest:result'
  | 'batches:list'
  | 'quarantine:list'
  | 'quarantine:retry'
  | 'sources:list'
  | 'sources:save'
  | 'chain:verify';

export interface EventHandlerDeps {
  vault: VaultService;
  ingest: IngestJobs;
  workerDir: string;
  /** Uploaded copies inside this folder are deleted once their import job ends. */
  uploadDir: string;
}

/** Events, ingestion, quarantine, sources and chain verification: thin over core services. */
export function eventHandlers({ vault, ingest, workerDir, uploadDir }: EventHandlerDeps): { [C in EventChannel]: Handler<C> } {
  const db = () => vault.database();
  return {
    'events:query': (req) =>
      queryEvents(db(), req.filter, {
        limit: req.limit,
        order: req.order,
        ...(req.beforeSeq !== undefined ? { beforeSeq: req.beforeSeq } : {}),
        ...(req.afterSeq !== undefined ? { afterSeq: req.afterSeq } : {}),
      }),
    'events:count': (req) => {
      const count = countEvents(db(), req.filter);
      const near = count === 0 ? nearMatches(db(), req.filter) : {};
      return Object.keys(near).length > 0 ? { count, nearMatches: near } : { count };
    },
    'events:get': (req) => getEvent(db(), req.seq),
    'events:overview': (req) => overview(db(), req),
    'ingest:start': (req, ctx) => {
      if (ctx.transport === 'web') {
        // The page may only import what it uploaded: never an arbitrary path on this machine.
        const root = path.resolve(uploadDir) + path.sep;
        const outside = req.files.find((f) => !path.resolve(f.path).startsWith(root));
        if (outside) throw new AttestError('BAD_REQUEST', 'In the browser, import files by uploading them (drop them on the page or use Choose files).');
      }
      // Refused before the job starts, so the page can say so next to the Source field.
      if (req.source) checkSourceName(req.source);
      if (req.syslogZone !== undefined && !isValidZone(req.syslogZone)) {
        throw new AttestError('BAD_REQUEST', `Unknown time zone "${req.syslogZone}": use UTC, an offset such as +02:00, or a name such as Europe/Paris.`);
      }
      const jobId = ingest.start(req.files, {
        ...(req.format ? { format: req.format } : {}),
        ...(req.source ? { source: req.source } : {}),
        ...(req.syslogYear !== undefined ? { syslogYear: req.syslogYear } : {}),
        ...(req.syslogZone !== undefined ? { syslogZone: req.syslogZone } : {}),
        ...(req.timeIfMissing !== undefined ? { timeIfMissing: req.timeIfMissing } : {}),
      });
      const uploads = req.files.map((f) => path.resolve(f.path)).filter((p) => p.startsWith(path.resolve(uploadDir) + path.sep));
      if (uploads.length > 0) {
        const cleanUp = () => uploads.forEach((p) => fs.rm(p, { force: true }, () => undefined));
        ingest.wait(jobId).then(cleanUp, cleanUp);
      }
      return { jobId };
    },
    'ingest:cancel': (req) => ({ cancelled: ingest.cancel(req.jobId) }),
    'ingest:result': (req) => ingest.result(req.jobId),
    'batches:list': (req) => listBatches(db(), req),
    'quarantine:list': (req) => listQuarantine(db(), req),
    'quarantine:retry': (req, ctx) => retryQuarantine(db(), req, ctx.operator),
    'sources:list': () => listSources(db()),
    'sources:save': (req) => saveSource(db(), req),
    'chain:verify': async () => {
      const { key, cipher, file } = vault.databaseKey();
      try {
        return await verifyChain({ db: db(), file, key, cipher }, { workerScript: path.join(workerDir, 'verify-worker.js') });
      } finally {
        key.fill(0);
      }
    },
  };
}
