/** The badge colour of a notify class: policy rejects red, protocol errors amber, the rest grey. */
export function classTone(cls: string): 'bad' | 'warn' | 'neutral' {
  return cls === 'policy' ? 'bad' : cls === 'protocol' ? 'warn' : 'neutral';
}
