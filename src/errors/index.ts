export {
  RetractError,
  InputError,
  isRetractError,
  toRetractError,
  FAILURE_CLASSES,
} from './retract-error.js';
export type { FailureClass, RetractErrorOptions } from './retract-error.js';
