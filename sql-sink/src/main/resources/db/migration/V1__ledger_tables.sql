-- The SQL copy of the ledger, folded from the event topics by the sql-sink connector.
-- Every row names the event that last wrote it (source_topic, source_partition, source_offset):
-- the connector writes a row only with an event of a later offset on that partition, so a
-- redelivered or replayed event changes nothing. docs/sql.md describes every column.

create table accounts (
  account_id       text primary key,
  owner            text        not null,
  owner_subject    text,
  currency         char(3)     not null,
  balance          numeric     not null,
  version          bigint      not null,
  opened_at        timestamptz not null,
  updated_at       timestamptz not null,
  source_topic     text        not null,
  source_partition integer     not null,
  source_offset    bigint      not null
);
create index accounts_owner on accounts (owner);

-- One line per account event, in version order: the statement the query service serves.
create table statement_lines (
  account_id       text        not null,
  version          bigint      not null,
  kind             text        not null,
  amount           numeric     not null,
  balance_after    numeric     not null,
  transfer_id      text,
  request_id       text,
  occurred_at      timestamptz,
  recorded_at      timestamptz not null,
  source_topic     text        not null,
  source_partition integer     not null,
  source_offset    bigint      not null,
  primary key (account_id, version)
);
create index statement_lines_transfer on statement_lines (transfer_id) where transfer_id is not null;
create index statement_lines_recorded on statement_lines (recorded_at);

create table transfers (
  transfer_id      text primary key,
  status           text        not null check (status in ('PENDING', 'COMPLETED', 'REJECTED', 'REFUNDED')),
  from_account     text,
  to_account       text,
  amount           numeric     not null,
  reason           text,
  request_id       text,
  occurred_at      timestamptz,
  updated_at       timestamptz not null,
  source_topic     text        not null,
  source_partition integer     not null,
  source_offset    bigint      not null
);
create index transfers_open on transfers (occurred_at) where status = 'PENDING';

create table users (
  username         text primary key,
  display_name     text,
  requested_as     text,
  subject          text,
  registered_at    timestamptz,
  generation       bigint      not null,
  account_ids      text[]      not null,
  deleted          boolean     not null,
  source_topic     text        not null,
  source_partition integer     not null,
  source_offset    bigint      not null
);

-- How far the connector has folded each partition: the offset of the next record to read,
-- written in the same transaction as the rows. The connector resumes from here, whatever
-- Kafka Connect's own committed offsets say.
create table sink_progress (
  topic            text        not null,
  partition        integer     not null,
  next_offset      bigint      not null,
  updated_at       timestamptz not null,
  primary key (topic, partition)
);
