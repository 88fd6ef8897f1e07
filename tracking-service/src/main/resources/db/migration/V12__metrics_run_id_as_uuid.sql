-- Every metric point carries its run id in the primary key of metrics, the largest index there is, and every insert
-- compares run ids on its way down that index. As text, a run id is 33 bytes compared through the collation; as a
-- uuid (a run id is 32 hex digits, which PostgreSQL reads as one) it is 16 bytes compared bytewise: index entries of
-- 64 bytes instead of 88, and less of PostgreSQL's time per point. Only metrics changes: the other tables join runs
-- on its text id.
alter table metrics alter column run_uuid type uuid using run_uuid::uuid;
