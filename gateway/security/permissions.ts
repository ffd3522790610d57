// Who may do what: per principal, allow and deny lists of name patterns for each verb.
//
// The file (RELAY_PERMISSIONS_FILE) is JSON, principal -> rules; "*" holds rules for every
// authenticated principal:
//   { "billing": { "allow": { "publish": ["orders.*"], "subscribe": ["billing-*"] },
//                  "deny":  { "publish": ["orders.audit"] } },
//     "*":       { "allow": { "subscribe": ["public.*"] } } }
// A pattern matches a whole topic or subscription name; `*` matches any run of characters (dots
// included). A deny (the principal's or everyone's) beats any allow; nothing allowed is denied.

/** publish: on topics; subscribe: on subscriptions (Subscribe and settlement); admin: on both. */
export type Verb = 'publish' | 'subscribe' | 'admin';

export const verbs: readonly Verb[] = ['publish', 'subscribe', 'admin'];

type Rules = Record<Verb, RegExp[]>;

interface Grant {
  readonly allow: Rules;
  readonly deny: Rules;
}

const patternShape = /^[a-zA-Z0-9._*-]{1,200}$/;

function compile(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.\-]/g, '\\$&').replace(/\*/g, '.*')}$`);
}

export class Permissions {
  private constructor(private readonly grants: ReadonlyMap<string, Grant>) {}

  /** Parses the file's JSON; throws an Error listing every problem. */
  static parse(text: string, source = 'permissions'): Permissions {
    const problems: string[] = [];
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new Error(`${source}: not JSON (${(error as Error).message})`);
    }
    if (!isObject(json)) throw new Error(`${source}: must be an object of principal -> { allow, deny }`);
    const grants = new Map<string, Grant>();
    for (const [principal, entry] of Object.entries(json)) {
      const where = `${source}: ${JSON.stringify(principal)}`;
      if (!isObject(entry) || Object.keys(entry).some((key) => key !== 'allow' && key !== 'deny')) {
        problems.push(`${where} must be { "allow": {...}, "deny": {...} }`);
        continue;
      }
      const rules = (kind: 'allow' | 'deny'): Rules => {
        const lists = entry[kind] ?? {};
        const result: Rules = { publish: [], subscribe: [], admin: [] };
        if (!isObject(lists)) {
          problems.push(`${where}.${kind} must be an object of verb -> patterns`);
          return result;
        }
        for (const [verb, patterns] of Object.entries(lists)) {
          if (!verbs.includes(verb as Verb)) problems.push(`${where}.${kind}: unknown verb ${JSON.stringify(verb)} (publish, subscribe, admin)`);
          else if (!Array.isArray(patterns) || patterns.some((pattern) => typeof pattern !== 'string' || !patternShape.test(pattern))) {
            problems.push(`${where}.${kind}.${verb} must be a list of patterns matching ${patternShape.source}`);
          } else result[verb as Verb] = patterns.map(compile);
        }
        return result;
      };
      grants.set(principal, { allow: rules('allow'), deny: rules('deny') });
    }
    if (problems.length > 0) throw new Error(problems.join('\n'));
    return new Permissions(grants);
  }

  /** Everyone may do everything: authentication without a permissions file. */
  static allowAll(): Permissions {
    const everything = [/^/];
    return new Permissions(new Map([['*', { allow: { publish: everything, subscribe: everything, admin: everything }, deny: { publish: [], subscribe: [], admin: [] } }]]));
  }

  allows(principal: string, verb: Verb, name: string): boolean {
    const grants = [this.grants.get(principal), this.grants.get('*')];
    const matches = (kind: 'allow' | 'deny') => grants.some((grant) => grant?.[kind][verb].some((pattern) => pattern.test(name)));
    return !matches('deny') && matches('allow');
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
