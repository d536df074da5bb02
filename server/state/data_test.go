package state

import "testing"

// Regression: a long-running sandbox keeps only recent closed tasks.
func TestOldClosedTasksAreDropped(t *testing.T) {
	d := newData()
	first := d.NewTask(Task{Closed: true}).ID
	open := d.NewTask(Task{}).ID // still waiting for card data: kept
	for i := 0; i < keptTasks+keptTasks/10; i++ {
		d.NewTask(Task{Closed: true})
	}
	if _, ok := d.Tasks[first]; ok {
		t.Fatal("the oldest closed task is still kept")
	}
	if _, ok := d.Tasks[open]; !ok {
		t.Fatal("an open task was dropped")
	}
	if len(d.Tasks) > keptTasks+keptTasks/10+1 {
		t.Fatalf("%d tasks kept", len(d.Tasks))
	}
}
