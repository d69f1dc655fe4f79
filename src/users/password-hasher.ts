import { hash, verify, type Algorithm, type Options } from '@node-rs/argon2';

/** argon2id cost; the defaults are OWASP's minimum (19 MiB, 2 passes). */
export interface PasswordHashCost {
  memoryKiB: number;
  passes: number;
}

export const DEFAULT_HASH_COST: PasswordHashCost = Object.freeze({ memoryKiB: 19_456, passes: 2 });

// `Algorithm` is a const enum, which isolated modules cannot read; 2 is Argon2id.
const ARGON2ID = 2 as Algorithm;

/** Hashes and checks passwords with argon2id; the PHC string carries its own cost and salt. */
export class PasswordHasher {
  readonly #options: Options;
  #dummy: Promise<string> | undefined;

  constructor(cost: PasswordHashCost = DEFAULT_HASH_COST) {
    this.#options = {
      algorithm: ARGON2ID,
      memoryCost: cost.memoryKiB,
      timeCost: cost.passes,
      parallelism: 1,
    };
  }

  hash(password: string): Promise<string> {
    return hash(password, this.#options);
  }

  async verify(phc: string, password: string): Promise<boolean> {
    try {
      return await verify(phc, password);
    } catch {
      // A damaged stored hash must read as "wrong password", never as a way in.
      return false;
    }
  }

  /**
   * Spends the time of one verification for a user that does not exist, so
   * response times do not tell which names are real.
   */
  async burn(password: string): Promise<void> {
    this.#dummy ??= this.hash('retract-no-such-user');
    await this.verify(await this.#dummy, password);
  }
}
