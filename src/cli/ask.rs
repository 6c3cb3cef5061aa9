//! Asking a question from the command line: the store opened, the names resolved, the
//! question answered and the answer written, in the format asked for.

use dipgraph::query::ask::{self, AnswerFacts, Ask, Resolved};
use dipgraph::query::notes;
use dipgraph::render::views;
use dipgraph::store::Store;

use super::{Context, Failure};

/// Asks `ask`; `check` refuses a question its names make meaningless (two names of one
/// entity where two are needed).
pub fn run(
    cx: &Context,
    ask: Ask,
    check: impl Fn(&Resolved, &dyn Store) -> Result<(), Failure>,
) -> Result<(), Failure> {
    cx.with_store(|store| {
        let resolved = cx.resolve(store, ask.clone())?;
        check(&resolved, store)?;
        let facts = AnswerFacts::read(store, &resolved)?;
        let answer = ask::answer(store, &facts, &resolved, cx.today)?;
        let asked = resolved.ask();
        let on = asked
            .on()
            .or_else(|| asked.uses_today().then_some(cx.today));
        let heading = views::heading(asked, store, &answer, on);
        let notes = notes::notes(store, &resolved, cx.today);
        cx.emit_with_notes(answer.command(), on, &answer, &notes, || {
            views::answer(heading.as_deref(), &answer, asked.on(), cx.layout())
        })?;
        // The process ends right after: freeing a large answer's many small allocations one by
        // one would only delay its exit.
        std::mem::forget(answer);
        std::mem::forget(facts);
        Ok(())
    })
}

/// No check.
pub fn any(_: &Resolved, _: &dyn Store) -> Result<(), Failure> {
    Ok(())
}
