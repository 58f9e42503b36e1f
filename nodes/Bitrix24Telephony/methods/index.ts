import { searchLines } from './lines';
import { getCrmSources, getLines } from './options';
import { getUsers, searchUsers } from './users';

export const listSearch = { searchLines, searchUsers };
export const loadOptions = { getCrmSources, getLines, getUsers };
