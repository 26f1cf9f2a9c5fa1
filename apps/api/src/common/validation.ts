import { getMetadataStorage, validateOrReject, type ValidatorOptions } from 'class-validator';
import { ArgumentValidationError, type ValidatorFn } from 'type-graphql';

/** type-graphql's defaults for argument validation, and no input values echoed back in errors. */
const OPTIONS: ValidatorOptions = {
  skipMissingProperties: true,
  forbidUnknownValues: false,
  validationError: { target: false, value: false },
};

const hasRules = new WeakMap<object, boolean>();

/** Whether class-validator knows any rule for the input's class (looked up once per class). */
function needsValidation(value: object): boolean {
  const cls = value.constructor;
  let known = hasRules.get(cls);
  if (known === undefined) {
    known = getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false).length > 0;
    hasRules.set(cls, known);
  }
  return known;
}

/**
 * Argument validation for type-graphql, the same rules and errors as its built-in one, without its
 * costs on every request: the built-in imports class-validator dynamically for each argument (a module
 * resolution per argument, slow under a loader such as tsx) and runs the validator on input classes
 * that have no rules at all.
 */
export const validateArgument: ValidatorFn = async (value) => {
  if (value === null || typeof value !== 'object') return;
  const items = Array.isArray(value) ? value : [value];
  const checked = items.filter((v): v is object => v !== null && typeof v === 'object' && needsValidation(v));
  if (!checked.length) return;
  try {
    await Promise.all(checked.map((v) => validateOrReject(v, OPTIONS)));
  } catch (err) {
    throw new ArgumentValidationError(err as ConstructorParameters<typeof ArgumentValidationError>[0]);
  }
};
