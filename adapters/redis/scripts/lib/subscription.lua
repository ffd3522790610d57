-- Binds lib/subscription-core.lua to a script's own KEYS[1..11] and ARGV[1..5] (in that file's
-- order), for scripts that work on one subscription; such a script answers {1} when the
-- subscription does not exist.
-- @include lib/subscription-core.lua
local subscription = bindSubscription(KEYS, ARGV)
if not subscription then return {1} end
local stream, topicMeta, subMeta, dueSet, whySet, notes, dead, holders, unseen =
  subscription.stream, subscription.topicMeta, subscription.subMeta, subscription.dueSet, subscription.whySet,
  subscription.notes, subscription.dead, subscription.holders, subscription.unseen
local group, channel, parkedPrefix = subscription.group, subscription.channel, subscription.parkedPrefix
local ordered, setting, backoff, entryFields = subscription.ordered, subscription.setting, subscription.backoff, subscription.entryFields
local currentAttempt, lastDelivered, releaseKey = subscription.currentAttempt, subscription.lastDelivered, subscription.releaseKey
local settle, deadLetter = subscription.settle, subscription.deadLetter
