/// Module marker; the stage's code lives beside this file.
package enum PodmortemReportModule {}
