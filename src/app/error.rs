//! The two kinds of failure, and the one place that turns either into what the member reads.

use super::reply::Reply;
use super::Caller;
use crate::domain::OptionError;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Something the member can fix or should know; shown to them as is.
    #[error("{0}")]
    User(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> AppError {
        AppError::Internal(error.into())
    }
}

/// A bad option value is the member's to fix.
impl From<OptionError> for AppError {
    fn from(error: OptionError) -> AppError {
        AppError::User(error.to_string())
    }
}

pub type AppResult<T> = Result<T, AppError>;

pub(super) fn user_error<T>(message: impl Into<String>) -> AppResult<T> {
    Err(AppError::User(message.into()))
}

/// The apology for anything that is our fault. Short: the member cannot act on details.
pub const APOLOGY: &str =
    "Sorry, something went wrong on our side. It was logged; please try again in a moment.";

/// How an interaction ended, for logs and the `interactions_total` metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    /// A user error: the member was told why nothing happened.
    Refused,
    /// An internal error: logged, answered with the apology.
    Error,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Refused => "refused",
            Outcome::Error => "error",
        }
    }
}

/// The reply for a handler's result, for every front end: user errors privately as they
/// are, anything else logged with what was asked and by whom, and answered with
/// [`APOLOGY`].
pub fn reply_for(result: AppResult<Reply>, what: &str, caller: &Caller) -> (Reply, Outcome) {
    match result {
        Ok(reply) => (reply, Outcome::Ok),
        Err(AppError::User(message)) => (Reply::text(message).private(), Outcome::Refused),
        Err(AppError::Internal(error)) => {
            tracing::error!(what, server = caller.server_id, user = caller.user_id, error = %format!("{error:#}"), "interaction failed");
            (Reply::text(APOLOGY).private(), Outcome::Error)
        }
    }
}
