package workbook

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Scenario is one testscript of a lesson, testscripts/NN-name/<Name>.txtar.
// Its first line says which README step's programs it exercises:
//
//	# Step 3: echoclient sends each line of its stdin and prints each reply.
//
// A lesson whose scenarios all say so has each scenario counted for its
// step only (as the test "TestScripts/<Name>"); otherwise TestScripts, all
// scenarios together, counts toward the last step.
type Scenario struct {
	Name string // the file name without .txtar: TestScripts' subtest name
	Path string
	Step int // 0 when the first line declares no step
}

// EnforceScenarioSteps makes CheckLayout require the step line in every
// scenario. It is off until every lesson's scenarios have theirs.
const EnforceScenarioSteps = true

var scenarioStepRE = regexp.MustCompile(`^# Step (\d+): \S`)

// Scenarios returns the lesson's testscripts in name order.
func (l *Lesson) Scenarios() ([]Scenario, error) {
	files, err := filepath.Glob(filepath.Join(l.ScriptDir, "*.txtar"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var out []Scenario
	for _, f := range files {
		s := Scenario{Name: strings.TrimSuffix(filepath.Base(f), ".txtar"), Path: f}
		fh, err := os.Open(f)
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(fh)
		if sc.Scan() {
			if m := scenarioStepRE.FindStringSubmatch(sc.Text()); m != nil {
				s.Step, _ = strconv.Atoi(m[1])
			}
		}
		fh.Close()
		out = append(out, s)
	}
	return out, nil
}

// ScenarioTest is the test name a scenario's result is kept under:
// "TestScripts/echo_stdin".
func ScenarioTest(name string) string { return ScriptsTest + "/" + name }

// scenarioSteps maps each step to its scenarios' test names when every
// scenario declares its step, else returns nil.
func scenarioSteps(scenarios []Scenario) map[int][]string {
	if len(scenarios) == 0 {
		return nil
	}
	m := map[int][]string{}
	for _, s := range scenarios {
		if s.Step == 0 {
			return nil
		}
		m[s.Step] = append(m[s.Step], ScenarioTest(s.Name))
	}
	return m
}

// checkScenarios reports scenarios whose step line names no README step,
// and, once EnforceScenarioSteps is on, those without a step line.
func (l *Lesson) checkScenarios(stepSet map[int]bool) []error {
	scenarios, err := l.Scenarios()
	if err != nil {
		return []error{err}
	}
	var errs []error
	for _, s := range scenarios {
		rel := filepath.Join("testscripts", l.Name, s.Name+".txtar")
		switch {
		case s.Step == 0 && EnforceScenarioSteps:
			errs = append(errs, fmt.Errorf("%s: start it with \"# Step N: <what it shows>\", N the README step whose programs it exercises", rel))
		case s.Step != 0 && !stepSet[s.Step]:
			errs = append(errs, fmt.Errorf("%s says it belongs to step %d, which the README does not have", rel, s.Step))
		}
	}
	return errs
}
