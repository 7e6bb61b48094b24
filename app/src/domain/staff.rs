//! Staff roles and what each may do: the one authorization table. The use cases ask it for
//! every staff act (an actor is passed in), whatever adapter the request came through.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything: staff, programme, halls, prices, and what the others do.
    Admin,
    /// Counter sales, orders, refunds, reports.
    BoxOffice,
    /// Scanning at the door only.
    Door,
}

/// What an act needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Create, change, disable accounts; API tokens; the audit log.
    ManageStaff,
    /// Venues, halls, seat maps, shows, performances, prices.
    ManageProgramme,
    /// Counter sales, order search, cancellations, refunds, reports.
    SellAtCounter,
    /// A door access for chosen performances (the phone scanner).
    ControlDoor,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::BoxOffice, Role::Door];

    pub fn parse(s: &str) -> Option<Role> {
        match s.trim() {
            "admin" => Some(Role::Admin),
            "box_office" => Some(Role::BoxOffice),
            "door" => Some(Role::Door),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::BoxOffice => "box_office",
            Role::Door => "door",
        }
    }

    pub fn label_fr(self) -> &'static str {
        match self {
            Role::Admin => "Administration",
            Role::BoxOffice => "Guichet",
            Role::Door => "Contrôle",
        }
    }

    pub fn may(self, permission: Permission) -> bool {
        match self {
            Role::Admin => true,
            Role::BoxOffice => permission == Permission::SellAtCounter,
            Role::Door => permission == Permission::ControlDoor,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Permission::*;

    #[test]
    fn each_role_may_do_its_own_work_only() {
        let all = [ManageStaff, ManageProgramme, SellAtCounter, ControlDoor];
        assert!(all.iter().all(|p| Role::Admin.may(*p)));
        let of = |r: Role| {
            all.iter()
                .filter(|p| r.may(**p))
                .copied()
                .collect::<Vec<_>>()
        };
        assert_eq!(of(Role::BoxOffice), vec![SellAtCounter]);
        assert_eq!(of(Role::Door), vec![ControlDoor]);
    }

    #[test]
    fn roles_read_back() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
        assert_eq!(
            serde_json::to_string(&Role::BoxOffice).unwrap(),
            "\"box_office\""
        );
    }
}
