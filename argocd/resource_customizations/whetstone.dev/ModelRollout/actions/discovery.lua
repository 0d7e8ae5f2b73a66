-- Actions on a ModelRollout, through the annotations the operator watches (kubectl annotate works the same):
-- promote ends the current pause, promote-full skips to 100% and promotes, abort rolls the canary back now, retry
-- starts a RolledBack or Failed rollout again.
local actions = {}
local phase = obj.status and obj.status.phase or "Pending"
local moving = phase == "Progressing" or phase == "Paused"
actions["promote"] = {["disabled"] = phase ~= "Paused"}
actions["promote-full"] = {["disabled"] = not moving}
actions["abort"] = {["disabled"] = not moving}
actions["retry"] = {["disabled"] = phase ~= "RolledBack" and phase ~= "Failed"}
return actions
