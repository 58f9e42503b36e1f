import { getCrmSources, getLines } from './options';
import { searchUsers } from './users';

export const listSearch = { searchUsers };
export const loadOptions = { getCrmSources, getLines };
