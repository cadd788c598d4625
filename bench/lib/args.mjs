// @ts-check
// Command-line options of a benchmark: `--name value` pairs and bare `--flag`s.

/**
 * Reads `--name value` options (a value is the next argument unless that starts with `--`) and
 * bare `--flag`s.
 * @param {string[]} [argv] the arguments after the script's name
 */
export function parseArgs(argv = process.argv.slice(2)) {
  /** @type {Map<string, string | true>} */
  const given = new Map();
  for (let i = 0; i < argv.length; i += 1) {
    if (!argv[i].startsWith('--')) continue;
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      given.set(argv[i].slice(2), next);
      i += 1;
    } else given.set(argv[i].slice(2), true);
  }
  return {
    /** Whether `--name` was given. @param {string} name */
    flag: (name) => given.has(name),
    /**
     * `--name`'s value, or the fallback.
     * @template {string | undefined} F
     * @param {string} name
     * @param {F} [fallback]
     * @returns {string | F}
     */
    string(name, fallback) {
      const value = given.get(name);
      if (value === true) throw new Error(`--${name} needs a value`);
      return value ?? /** @type {F} */ (fallback);
    },
    /**
     * `--name`'s value as a number, or the fallback; a value that is not a number stops the run.
     * @param {string} name
     * @param {number} fallback
     */
    number(name, fallback) {
      const value = this.string(name);
      if (value === undefined) return fallback;
      const number = Number(value);
      if (!Number.isFinite(number)) throw new Error(`--${name} must be a number, not ${value}`);
      return number;
    },
  };
}
