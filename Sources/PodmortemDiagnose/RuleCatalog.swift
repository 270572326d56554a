/// Every rule podmortem ships, about pods and about nodes. A test fails when a file in `Rules/` is
/// missing here.
package enum RuleCatalog {
  package static let all: [any DiagnosisRule] = [
    LivenessProbeFailingRule(), ReadinessProbeFailingRule(), StartupProbeFailingRule(), CrashLoopBackOffRule(),
    ContainerExitRule(), OOMKilledRule(), StuckTerminatingRule(), LifecycleHookFailedRule(), ImagePullFailingRule(),
    FailedSchedulingRule(), VolumeMountFailingRule(), ContainerConfigErrorRule(), EvictedRule(), NodeNotReadyRule(),
    InitContainerFailingRule(), SandboxFailingRule(), DeadlineExceededRule(), AdmissionRejectedRule(),
    GracePeriodExpiredRule(),
    KernelOOMKillRule(), ExecProbeTimeoutRule(), NodeConditionRule(), UserPatternRule(),
  ]
}
