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

  removeLicenceFile(id: string): boolean {
    return this.repository.removeLicenceFile(id);
  }

  /** The owner-only secrets; only an administrator's transaction can read them. */
  secrets(): Secrets {
    return this.nextSecrets ?? readSecrets(this.paths.secrets);
  }

  setSecrets(secrets: Secrets): void {
    this.nextSecrets = secrets;
  }

  /** Writes what changed; runs inside the transaction, before it commits. */
  flush(): void {
    if (this.nextSecrets !== null) writeSecrets(this.paths.secrets, this.nextSecrets);
    if (this.nextState === null) return;
    const revision = (this.repository.state()?.revision ?? 0) + 1;
    this.repository.saveState(this.nextState.value, revision, this.now);
    const backup = { storeId: this.storeId, revision, state: this.nextState.value };
    writeFileAtomic(this.paths.backup, `${JSON.stringify(backup)}\n`, 0o644);
  }
}
