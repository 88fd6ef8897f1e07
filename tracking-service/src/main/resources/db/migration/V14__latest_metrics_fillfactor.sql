-- latest_metrics' updates are HOT (V11), but its pages are read and rewritten by several group commit statements at
-- once, and a page another statement holds is not pruned: once the room fillfactor 70 left is used up, the next
-- update of a row on it goes to another page with new index entries, and those dead versions and entries stay until
-- a vacuum (none while autovacuum is off; a VACUUM mid-load took PostgreSQL from 14 to 9 µs a point). Half-full pages
-- leave room for about twice as many versions of each row: log-batch via the gateway on a fresh suite with autovacuum
-- off, 64 runs x 100 keys, eight 20 s rounds: 1,091-1,230 requests/s after the first two (PostgreSQL 8.4-9.0 µs a
-- point) instead of 876-1,295 (8.0-11.3). Existing pages are refilled as their rows move.
alter table latest_metrics set (fillfactor = 50);
