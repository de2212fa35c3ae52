/**
 * Lua run inside Redis: one round trip admits a request against every limit of its key, and a
 * batched call settles finished requests. Kept as strings so the build ships them with the code.
 */

export const ADMIT_SCRIPT = `
-- Admits one request for one API key, or says which limit refuses it. One round trip.
-- KEYS[1] rpm bucket of this minute     KEYS[2] rpm bucket of the previous minute
-- KEYS[3] tpm bucket of this minute     KEYS[4] tpm bucket of the previous minute
-- KEYS[5] in-flight set (request id -> expiry ms)
-- KEYS[6] spend counter of the budget period (nano-USD)
-- ARGV: now_ms, minute_elapsed_ms, rpm, tpm, max_concurrency, budget_nano, request_id, inflight_ttl_ms, budget_ttl_s
-- A limit of 0 means "none". Returns {0} when admitted, else {code, retry_after_seconds}:
-- 1 rpm, 2 tpm, 3 concurrency, 4 budget.
local now = tonumber(ARGV[1])
local elapsed = tonumber(ARGV[2])
local rpm = tonumber(ARGV[3])
local tpm = tonumber(ARGV[4])
local max_concurrency = tonumber(ARGV[5])
local budget = tonumber(ARGV[6])
local weight = (60000 - elapsed) / 60000 -- share of the previous minute still inside the sliding window
local retry = math.ceil((60000 - elapsed) / 1000)

if budget > 0 then
  local spent = tonumber(redis.call('GET', KEYS[6]) or '0')
  if spent >= budget then return {4, 0} end
end
if rpm > 0 then
  local count = tonumber(redis.call('GET', KEYS[1]) or '0') + tonumber(redis.call('GET', KEYS[2]) or '0') * weight
  if count + 1 > rpm then return {1, retry} end
end
if tpm > 0 then
  local used = tonumber(redis.call('GET', KEYS[3]) or '0') + tonumber(redis.call('GET', KEYS[4]) or '0') * weight
  if used >= tpm then return {2, retry} end
end
if max_concurrency > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', now)
  if redis.call('ZCARD', KEYS[5]) >= max_concurrency then return {3, 1} end
  redis.call('ZADD', KEYS[5], now + tonumber(ARGV[8]), ARGV[7])
  redis.call('PEXPIRE', KEYS[5], tonumber(ARGV[8]))
end
if rpm > 0 then
  redis.call('INCR', KEYS[1])
  redis.call('PEXPIRE', KEYS[1], 120000)
end
return {0}`;

export const SETTLE_SCRIPT = `
-- Settles finished requests of one key, batched off the hot path.
-- KEYS[1] tpm bucket of this minute   KEYS[2] in-flight set   KEYS[3] spend counter of the budget period
-- ARGV: tokens, spend_nano, budget_ttl_s, request ids to release...
local tokens = tonumber(ARGV[1])
local spend = tonumber(ARGV[2])
if tokens > 0 then
  redis.call('INCRBY', KEYS[1], tokens)
  redis.call('PEXPIRE', KEYS[1], 120000)
end
if spend > 0 then
  redis.call('INCRBY', KEYS[3], ARGV[2]) -- the exact integer string, not a double
  local ttl = tonumber(ARGV[3])
  if ttl > 0 then redis.call('EXPIRE', KEYS[3], ttl) end
end
for i = 4, #ARGV do redis.call('ZREM', KEYS[2], ARGV[i]) end
return 0`;
