import Podmortem

print(PodmortemVersion.string)
