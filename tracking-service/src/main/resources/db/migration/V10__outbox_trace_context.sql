-- The W3C traceparent of the request that wrote an event, null when tracing is off: the relay publishes the event
-- in that trace (a Kafka header), so a trace runs from the client's request to the event's consumers. Nullable
-- without a default: adding it rewrites nothing.
alter table outbox add column trace_parent text;
