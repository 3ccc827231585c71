-- Views for people: balances per currency, daily movements per account, open transfers.

create view balances_per_currency as
select currency,
       count(*)     as accounts,
       sum(balance) as total_balance,
       min(balance) as lowest_balance
from accounts
group by currency;

create view daily_movements as
select l.account_id,
       a.currency,
       (l.recorded_at at time zone 'UTC')::date        as day,
       coalesce(sum(l.amount) filter (where l.amount > 0), 0)  as money_in,
       coalesce(-sum(l.amount) filter (where l.amount < 0), 0) as money_out,
       sum(l.amount)                                   as net,
       count(*)                                        as movements
from statement_lines l
join accounts a using (account_id)
where l.kind <> 'AccountOpened'
group by l.account_id, a.currency, (l.recorded_at at time zone 'UTC')::date;

create view open_transfers as
select t.transfer_id,
       t.from_account,
       t.to_account,
       t.amount,
       a.currency,
       t.occurred_at,
       now() - t.occurred_at as open_for
from transfers t
left join accounts a on a.account_id = t.from_account
where t.status = 'PENDING';
