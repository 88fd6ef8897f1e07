-- Transactional outbox for run lifecycle events. A state change writes its events here in its own transaction;
-- the relay (OutboxRelay) publishes them to Kafka in id order and deletes them once the broker acknowledged.
create table outbox (
    id         bigint generated always as identity primary key,
    topic      text        not null,
    record_key text        not null,
    event      text        not null, -- the CloudEvent JSON, published byte for byte
    created_at timestamptz not null default now()
);

-- Wakes the relays when the inserting transaction commits; PostgreSQL drops the notification on rollback and
-- sends one per transaction however many rows it wrote.
create function outbox_notify() returns trigger language plpgsql as $$
begin
    perform pg_notify('quarkflow_outbox', '');
    return null;
end
$$;

create trigger outbox_notify after insert on outbox for each statement execute function outbox_notify();
