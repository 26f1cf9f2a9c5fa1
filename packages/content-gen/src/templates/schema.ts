/** Field schemas for template data: scalars ("number", "string?" when optional), objects, and lists ([item]). */
export type ScalarType = 'string' | 'number' | 'boolean' | 'date' | 'any';
export type FieldSchema = ScalarType | `${ScalarType}?` | FieldSchema[] | { [key: string]: FieldSchema };

export interface DataIssue {
  path: string;
  message: string;
}

export function isOptional(s: FieldSchema): boolean {
  return typeof s === 'string' && s.endsWith('?');
}

export function scalarOf(s: FieldSchema): ScalarType | undefined {
  return typeof s === 'string' ? (s.replace(/\?$/, '') as ScalarType) : undefined;
}

/** Infer a schema from an example object (every field required). */
export function schemaFromSample(sample: unknown): FieldSchema {
  if (Array.isArray(sample)) return [sample.length ? schemaFromSample(sample[0]) : 'any'];
  if (sample instanceof Date) return 'date';
  if (sample !== null && typeof sample === 'object') {
    const out: Record<string, FieldSchema> = {};
    for (const [k, v] of Object.entries(sample)) out[k] = schemaFromSample(v);
    return out;
  }
  if (typeof sample === 'number') return 'number';
  if (typeof sample === 'boolean') return 'boolean';
  if (typeof sample === 'string' && /^\d{4}-\d{2}-\d{2}(?:T[\d:.]+Z?)?$/.test(sample)) return 'date';
  return typeof sample === 'string' ? 'string' : 'any';
}

/** Check data against a schema: missing required fields and wrong types, with their paths. */
export function validateData(schema: FieldSchema, data: unknown, path = ''): DataIssue[] {
  const issues: DataIssue[] = [];
  const at = path || '(root)';
  if (Array.isArray(schema)) {
    if (!Array.isArray(data)) return [{ path: at, message: `${at} should be a list` }];
    data.forEach((item, i) => issues.push(...validateData(schema[0] ?? 'any', item, `${path}[${i}]`)));
    return issues;
  }
  if (typeof schema === 'object') {
    if (data === null || typeof data !== 'object' || Array.isArray(data))
      return [{ path: at, message: `${at} should be an object` }];
    const obj = data as Record<string, unknown>;
    for (const [k, s] of Object.entries(schema)) {
      const p = path ? `${path}.${k}` : k;
      const v = Object.prototype.hasOwnProperty.call(obj, k) ? obj[k] : undefined;
      if (v === undefined || v === null) {
        if (!isOptional(s)) issues.push({ path: p, message: `${p} is required` });
        continue;
      }
      issues.push(...validateData(s, v, p));
    }
    return issues;
  }
  const t = scalarOf(schema);
  if (data === undefined || data === null)
    return isOptional(schema) ? [] : [{ path: at, message: `${at} is required` }];
  const ok =
    t === 'any' ||
    (t === 'number' && typeof data === 'number' && Number.isFinite(data)) ||
    (t === 'string' && typeof data === 'string') ||
    (t === 'boolean' && typeof data === 'boolean') ||
    (t === 'date' &&
      (data instanceof Date ||
        ((typeof data === 'string' || typeof data === 'number') && !Number.isNaN(new Date(data).getTime()))));
  return ok ? [] : [{ path: at, message: `${at} should be a ${t}, got ${JSON.stringify(data)}` }];
}
