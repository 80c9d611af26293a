import { chmodSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ok, type Result, SlmError } from '@slm/core/status';
import { type StorePaths, writeFileAtomic } from './files.js';
import type { LicenceFile, Repository } from './repository.js';
import { readSecrets, type Secrets, writeSecrets } from './secrets.js';

/** What a read sees: the machine state (null before the first change) and licence files. */
export interface StoreView {
  readonly storeId: string;
  state(): unknown | null;
  licenceFiles(kind?: string): LicenceFile[];
  /** A public annotation (readable by everyone), e.g. what a display needs beside the state. */
  note(name: string): string | null;
}

/** One read-modify-write; changes are written when the change function succeeds. */
export class StoreTransaction implements StoreView {
  private nextState: { value: unknown } | null = null;
  private nextSecrets: Secrets | null = null;
  /** Licence folder copies to write (content) or remove (null) when the change commits. */
  private readonly copies = new Map<string, string | null>();

  constructor(
    private readonly repository: Repository,
    private readonly paths: StorePaths,
    readonly storeId: string,
    readonly now: number,
  ) {}

  state(): unknown | null {
    return this.nextState?.value ?? this.repository.state()?.state ?? null;
  }

  setState(state: unknown): void {
    this.nextState = { value: state };
  }

  licenceFiles(kind?: string): LicenceFile[] {
    return this.repository.licenceFiles(kind);
  }

  note(name: string): string | null {
    return this.repository.meta(`note:${name}`);
  }

  setNote(name: string, value: string | null): void {
    if (value === null) this.repository.deleteMeta(`note:${name}`);
    else this.repository.setMeta(`note:${name}`, value);
  }

  putLicenceFile(file: LicenceFile): void {
    this.repository.putLicenceFile(file);
  }

  /**
   * Keeps a copy of an installed licence file in the licence folder (as `licenceCopyName` names
   * it), so that rebuilding a damaged store can install it again.
   */
  keepLicenceCopy(file: LicenceFile): void {
    this.copies.set(licenceCopyName(file.id), file.content);
  }

  /** Removes a licence file, and the copy `keepLicenceCopy` kept, so a rebuild cannot revive it. */
  removeLicenceFile(id: string): boolean {
    const removed = this.repository.removeLicenceFile(id);
    if (removed) this.copies.set(licenceCopyName(id), null);
    return removed;
  }

  /**
   * The owner-only secrets; only an administrator's transaction can read them. A damaged file
   * throws store.corrupt, which fails the transaction; `readableSecrets` returns it instead.
   */
  secrets(): Secrets {
    return this.nextSecrets ?? readSecrets(this.paths.secrets);
  }

  /** The secrets, or store.corrupt naming the secrets file when it cannot be read. */
  readableSecrets(): Result<Secrets> {
    try {
      return ok(this.secrets());
    } catch (error) {
      if (error instanceof SlmError) return { ok: false, error };
      throw error;
    }
  }

  setSecrets(secrets: Secrets): void {
    this.nextSecrets = secrets;
  }

  /** Writes what changed; runs inside the transaction, before it commits. */
  flush(): void {
    this.flushCopies();
    if (this.nextSecrets !== null) writeSecrets(this.paths.secrets, this.nextSecrets);
    if (this.nextState === null) return;
    const revision = (this.repository.state()?.revision ?? 0) + 1;
    this.repository.saveState(this.nextState.value, revision, this.now);
    const backup = { storeId: this.storeId, revision, state: this.nextState.value };
    writeFileAtomic(this.paths.backup, `${JSON.stringify(backup)}\n`, 0o644);
  }

  /** The licence folder is readable by all (0755, whatever the umask), like the home. */
  private ensureLicenceDir(): void {
    const created = mkdirSync(this.paths.licenceDir, { recursive: true, mode: 0o755 });
    if (created !== undefined) chmodSync(this.paths.licenceDir, 0o755);
  }

  private flushCopies(): void {
    if ([...this.copies.values()].some((content) => content !== null)) this.ensureLicenceDir();
    for (const [name, content] of this.copies) {
      const path = join(this.paths.licenceDir, name);
      if (content === null) rmSync(path, { force: true });
      else if (readIfPresent(path) !== `${content}\n`) writeFileAtomic(path, `${content}\n`, 0o644);
    }
  }
}

/** The file name a licence file's copy gets in the licence folder, e.g. `il-<ILID>-<ILvID>.slm`. */
export function licenceCopyName(id: string): string {
  return `${id.replace(/[^A-Za-z0-9._-]/g, '-')}.slm`;
}

function readIfPresent(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}
