-- Creates a topic's settings hash.
-- KEYS[1] topic meta hash
-- ARGV[1] dedup window ms, ARGV[2] retention ms, ARGV[3] retention messages, ARGV[4] create time ms,
-- ARGV[5] max backlog messages, ARGV[6] max backlog age ms
-- Returns {0} created, {1} the topic exists.
if redis.call('EXISTS', KEYS[1]) == 1 then return {1} end
redis.call('HSET', KEYS[1], 'dedupWindowMs', ARGV[1], 'retentionMs', ARGV[2], 'retentionMessages', ARGV[3],
  'createTimeMs', ARGV[4], 'maxPayload', 0, 'maxBacklogMessages', ARGV[5], 'maxBacklogAgeMs', ARGV[6])
return {0}
