-- Logged model params and tags with keys of every length MLflow accepts: its handlers and store check none, and its
-- SQLite store keeps a key of any length. The primary keys on (model_id, key) of V5 refused a key of a few thousand
-- random characters (a btree entry holds at most ~2.7 kB: PostgreSQL 54000, answered 500). A key is unique within its
-- model through its MD5 instead (an immutable function, which an index needs; sha256 would need a bytea that no
-- immutable function makes from text). Only a model's own writer could forge two keys of one MD5, and it can
-- change that model's params and tags anyway. Reads go by model_id, which leads the index.
alter table logged_model_params drop constraint logged_model_params_pkey;
create unique index logged_model_params_by_key on logged_model_params (model_id, md5(key));
alter table logged_model_tags drop constraint logged_model_tags_pkey;
create unique index logged_model_tags_by_key on logged_model_tags (model_id, md5(key));
