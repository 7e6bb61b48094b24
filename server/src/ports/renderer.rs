pub use app::dto::TicketLayout;
use async_trait::async_trait;

/// Ticket documents: the PDF (one page per ticket) and the QR code for phones.
#[async_trait]
pub trait TicketRenderer: Send + Sync + 'static {
    async fn pdf(&self, tickets: Vec<TicketDoc>, layout: TicketLayout) -> Result<Vec<u8>, String>;
    /// A performance's statement as a PDF.
    async fn statement_pdf(&self, statement: app::box_office::Statement)
        -> Result<Vec<u8>, String>;
    /// A Z report as a PDF.
    async fn closure_pdf(&self, closure: app::box_office::ClosureReport)
        -> Result<Vec<u8>, String>;
    fn qr_svg(&self, code: &str) -> Result<String, String>;
}

/// Everything printed on one ticket page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketDoc {
    /// Nom de l'exploitant, e.g. "Ville de Montbrison — Théâtre municipal".
    pub operator: String,
    pub venue: String,
    pub venue_address: String,
    pub hall: String,
    pub title: String,
    /// "Cinéma" | "Théâtre".
    pub kind_label: String,
    /// Start of the show, UTC unix seconds (printed in Europe/Paris time).
    pub starts_at: i64,
    /// "Balcon, rang C, place 12"; `None` prints "Placement libre".
    pub seat: Option<String>,
    /// "Catégorie 2".
    pub category: Option<String>,
    pub tariff_label: String,
    pub price_cents: i64,
    pub proof_required: bool,
    pub order_reference: String,
    /// Ticket number from the unbroken series, e.g. "TM-PLEIN-000042".
    pub number: String,
    pub holder_name: String,
    /// Content of the QR code (uppercase base32: encoded in alphanumeric mode).
    pub code: String,
}
