-- Values of every length MLflow accepts. A btree entry holds at most ~2.7 kB, so the indexes of V2 on whole values
-- refused a param, a tag or a run name (its mlflow.runName tag) of a few thousand random characters (PostgreSQL
-- 54000), and with it the whole request. These index the first 256 characters of a value instead: at most 1 kB in
-- UTF-8, beside a key of at most 250 characters. Searches find a value through its prefix and recheck the whole value
-- (store/ValuePrefix). "C" collation: the byte order of prefixes agrees with the byte order of the values, so
-- LIKE 'prefix%' is still an index range and ordering by a param or tag still walks the index.
create index params_by_value_prefix on params (experiment_id, key, (left(value, 256)) collate "C");
create index tags_by_value_prefix on tags (experiment_id, key, (left(value, 256)) collate "C");
drop index params_by_value;
drop index tags_by_value;

-- Logged model names are not limited either; "name = '<name>'" finds a model by the same prefix.
create index logged_models_by_name_prefix on logged_models (experiment_id, (left(name, 256)) collate "C")
    where lifecycle_stage = 'active';
drop index logged_models_by_name;

analyze params;
analyze tags;
analyze logged_models;
