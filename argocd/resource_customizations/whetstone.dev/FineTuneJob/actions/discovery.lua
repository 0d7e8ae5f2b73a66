-- Actions on a Whetstone job (FineTuneJob, CompressionJob, EvaluationRun: their actions folders link here).
-- suspend/resume flip spec.runPolicy.suspend (the worker checkpoints and stops; resuming continues from the
-- checkpoint); retry annotates whetstone.dev/retry=true, which restarts a Failed job from the start.
local actions = {}
local phase = obj.status and obj.status.phase or "Pending"
local finished = phase == "Succeeded" or phase == "Failed"
local suspended = obj.spec ~= nil and obj.spec.runPolicy ~= nil and obj.spec.runPolicy.suspend == true
actions["suspend"] = {["disabled"] = finished or suspended}
actions["resume"] = {["disabled"] = not suspended}
actions["retry"] = {["disabled"] = phase ~= "Failed"}
return actions
