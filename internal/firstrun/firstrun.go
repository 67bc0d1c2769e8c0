// Package firstrun holds the checks of what a student meets first on a
// fresh clone, run against the real lessons: go test on a lesson fits on
// one screen (TestFirstScreen), every program's -h and usage errors follow
// internal/cli (TestProgramsUsage), every command the top-level README
// shows works as written (TestReadmeCommands), so does every command a
// lesson README shows (TestLessonCommands), and lesson titles have one
// form (TestLessonTitles). They run the lessons' stubs and build their
// programs, so they live in a test binary of their own, apart from the
// tool's unit tests; go test -short skips the slow ones.
package firstrun
